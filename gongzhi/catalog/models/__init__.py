from .care import (  # noqa: F401
    AfterSchoolAttendance,
    AfterSchoolEnrolment,
    AfterSchoolProgram,
    CheckupCampaign,
    CheckupRecord,
    ElderlyProfile,
    MealDelivery,
)
from .hall import (  # noqa: F401
    Application,
    ApplicationEvent,
    AssignedTask,
    Certificate,
    LowIncomeCheck,
    LowIncomeLine,
    ServiceCategory,
    ServiceItem,
)
from .market import (  # noqa: F401
    Booking,
    Incubation,
    JobPosting,
    MerchantService,
    MerchantStaff,
    OrgProject,
    ServiceOrder,
    SharedResource,
)

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

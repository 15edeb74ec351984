from tests.quality.conftest import (  # noqa: F401  (the quality tests' fixtures)
    province_auditor,
    units_a,
)

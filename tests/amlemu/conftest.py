from amlemu.testing import amlemu_emulator  # noqa: F401  (the fixture)

# RTDS scheduler core sources (absolute paths, appended to the core list).

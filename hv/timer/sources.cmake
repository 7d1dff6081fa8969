# Timer core sources (absolute paths, appended to the core list).

# hv/lib is header-only for now; add .cpp files here when it grows some.

#include "tools/xl/socket_path.hpp"

#include <unistd.h>

namespace rthv::xl {

std::string default_socket_path() {
    return "/tmp/rthv-" + std::to_string(static_cast<unsigned long>(getuid())) + "/ctl.sock";
}

std::string resolve_socket_path(const char* env_value) {
    if (env_value != nullptr && env_value[0] != '\0') return env_value;
    return default_socket_path();
}

} // namespace rthv::xl

// Where xl finds the hypervisor's control channel: $RTHV_CTL if set and non-empty, otherwise
// /tmp/rthv-<uid>/ctl.sock, the UNIX socket `./rthv run` connects QEMU's (or Bochs') second
// serial port to. Per-user directory so two users on one machine do not share a hypervisor.
#pragma once

#include <string>

namespace rthv::xl {

inline constexpr const char* kCtlEnv = "RTHV_CTL";

std::string default_socket_path();                      // ignores the environment
std::string resolve_socket_path(const char* env_value); // env_value may be nullptr

} // namespace rthv::xl

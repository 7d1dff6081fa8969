// xl: rthv's toolstack, Xen's command syntax and output layout over the control channel.
#include "tools/xl/socket_path.hpp"
#include "tools/xl/xl.hpp"

#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    rthv::xl::Session session(rthv::xl::resolve_socket_path(std::getenv(rthv::xl::kCtlEnv)));
    return rthv::xl::run_xl(args, session, {std::cout, std::cerr});
}

// xl's command table and entry point, callable in-process (tests) as well as from main().
#pragma once

#include "tools/xl/client.hpp"

#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace rthv::xl {

// Connects on first use, so that commands whose arguments are wrong never touch the socket.
class Session {
public:
    explicit Session(std::string socket_path, int timeout_ms = 5000)
        : path_(std::move(socket_path)), timeout_ms_(timeout_ms) {}
    Client& client();

private:
    std::string path_;
    int timeout_ms_;
    std::unique_ptr<Transport> transport_;
    std::unique_ptr<Client> client_;
};

// Where `xl console` reads what is typed (stdin, or a test's script).
class ConsoleInput {
public:
    // Up to `cap` bytes into buf within `timeout_ms`: the count, 0 on time-out, -1 at end of
    // input.
    virtual int read(uint8_t* buf, size_t cap, int timeout_ms) = 0;
    // True for a terminal (Ctrl-] ends the session; the end of input does not).
    virtual bool interactive() const = 0;

protected:
    ~ConsoleInput() = default;
};

struct Io {
    std::ostream& out;
    std::ostream& err;
    ConsoleInput* in = nullptr; // nullptr: the process's stdin
};

// args excludes the program name ("sched-rtds", "-d", "vm1"). Returns the exit status.
int run_xl(const std::vector<std::string>& args, Session& session, Io io);

// Commands; each throws XlError for a failure (run_xl prints it as one line, exit status 1).
void cmd_sched_rtds(const std::vector<std::string>& args, Session& s, Io io);
void cmd_sched_rtds_stats(const std::vector<std::string>& args, Session& s, Io io);
void cmd_list(const std::vector<std::string>& args, Session& s, Io io);
void cmd_vcpu_list(const std::vector<std::string>& args, Session& s, Io io);
void cmd_info(const std::vector<std::string>& args, Session& s, Io io);
void cmd_pause(const std::vector<std::string>& args, Session& s, Io io);
void cmd_unpause(const std::vector<std::string>& args, Session& s, Io io);
void cmd_dmesg(const std::vector<std::string>& args, Session& s, Io io);
void cmd_console(const std::vector<std::string>& args, Session& s, Io io);
void cmd_debug_keys(const std::vector<std::string>& args, Session& s, Io io);
void cmd_trace(const std::vector<std::string>& args, Session& s, Io io);

// Usage text of one command ("" if unknown) and the overview of all.
std::string command_help(const std::string& command);
std::string overall_help();

// Domain and pool lookup by name, or by numeric id when no name matches.
ctl::DomainInfo find_domain(const std::vector<ctl::DomainInfo>& domains, const std::string& spec);
ctl::PoolInfo find_pool(const std::vector<ctl::PoolInfo>& pools, const std::string& spec);
std::string pool_name(const std::vector<ctl::PoolInfo>& pools, uint32_t id);

} // namespace rthv::xl

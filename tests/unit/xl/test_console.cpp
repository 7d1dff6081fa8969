// xl console against the fake hypervisor: the guest's output streams, typed bytes reach the
// guest (the fake echoes them as a shell would), a pipe's end ends the session, Ctrl-] leaves a
// terminal session, and a domain without a console device is refused in one line.
#include "xl_harness.hpp"

#include <cstring>
#include <deque>

namespace rthv::test {
namespace {

// Hands out its chunks one per read, then the end of input.
class ScriptedInput final : public xl::ConsoleInput {
public:
    ScriptedInput(std::deque<std::string> chunks, bool tty)
        : chunks_(std::move(chunks)), tty_(tty) {}
    int read(uint8_t* buf, size_t cap, int) override {
        if (chunks_.empty()) return -1;
        std::string c = chunks_.front();
        chunks_.pop_front();
        size_t n = c.size() < cap ? c.size() : cap;
        std::memcpy(buf, c.data(), n);
        return static_cast<int>(n);
    }
    bool interactive() const override { return tty_; }

private:
    std::deque<std::string> chunks_;
    bool tty_;
};

class XlConsole : public XlTest {
protected:
    XlRun console(const std::vector<std::string>& args, xl::ConsoleInput& in) {
        xl::Session session(server.path(), 2000);
        std::ostringstream out, err;
        XlRun r;
        r.status = xl::run_xl(args, session, {out, err, &in});
        r.out = out.str();
        r.err = err.str();
        return r;
    }
};

TEST_F(XlConsole, StreamsTheBootLogAndSendsWhatIsTyped) {
    hv.guest_consoles[1] = "[    0.000000] Linux version 6.1\nrthv-linux:/# ";
    ScriptedInput in({"echo hi\n", "uname\n"}, false);
    const XlRun r = console({"console", "vm1"}, in);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "[    0.000000] Linux version 6.1\nrthv-linux:/# echo hi\nuname\n");
    EXPECT_EQ(hv.typed, "echo hi\nuname\n");
}

TEST_F(XlConsole, CtrlRightBracketLeavesATerminalSessionAndIsNotSent) {
    hv.guest_consoles[1] = "login\n";
    ScriptedInput in({"ls\n", std::string("\x1d") + "more"}, true);
    const XlRun r = console({"console", "vm1"}, in);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(hv.typed, "ls\n");
}

TEST_F(XlConsole, LongOutputArrivesWhole) {
    std::string log;
    for (int i = 0; i < 400; ++i) log += "line " + std::to_string(i) + " of the boot log\n";
    hv.guest_consoles[1] = log;
    ScriptedInput in({}, false);
    EXPECT_EQ(console({"console", "vm1"}, in).out, log);
}

TEST_F(XlConsole, ADomainWithoutConsoleIsRefusedInOneLine) {
    ScriptedInput in({}, false);
    const XlRun r = console({"console", "vm1"}, in);
    expect_one_line_error(r, "has no console device");
    ScriptedInput none({}, false);
    expect_one_line_error(console({"console"}, none), "missing domain");
    expect_one_line_error(console({"console", "nosuch"}, none), "nosuch");
}

} // namespace
} // namespace rthv::test

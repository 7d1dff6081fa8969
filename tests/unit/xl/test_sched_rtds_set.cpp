// `xl sched-rtds` changes: round trips through the fake hypervisor, and every bad input
// leaving the hypervisor untouched (refused before sending, or refused by the server).
#include "xl_harness.hpp"

namespace rthv::test {
namespace {

using ctl::RtdsParams;

bool same(const RtdsParams& p, uint32_t period, uint32_t budget, uint8_t extra) {
    return p.period_us == period && p.budget_us == budget && p.extratime == extra;
}

TEST_F(XlTest, SetWholeDomainKeepsWhatIsNotGiven) {
    XlRun r = xl({"sched-rtds", "-d", "vm1", "-p", "10000", "-b", "2000"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out + r.err, ""); // silent like Xen
    EXPECT_TRUE(same(params(1, 0), 10000, 2000, 0));
    EXPECT_TRUE(same(params(1, 1), 10000, 2000, 0));
    r = xl({"sched-rtds", "-d", "vm1"});
    EXPECT_EQ(r.out, ref_dom_header() + ref_dom_row("vm1", 1, 10000, 2000, false));

    EXPECT_EQ(xl({"sched-rtds", "-d", "vm2", "-e", "0"}).status, 0);
    EXPECT_TRUE(same(params(2, 0), 1000, 500, 0));
    EXPECT_TRUE(same(params(2, 2), 2000, 400, 0)); // its own period/budget survive
}

TEST_F(XlTest, SetChosenVcpus) {
    const XlRun r = xl({"sched-rtds", "-d", "vm2", "-v", "0", "-p", "100", "-b", "50", "-v", "3",
                        "-p", "300", "-b", "150", "-e", "0", "-e", "1"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(same(params(2, 0), 100, 50, 0));
    EXPECT_TRUE(same(params(2, 1), 1000, 500, 1));
    EXPECT_TRUE(same(params(2, 2), 2000, 400, 0));
    EXPECT_TRUE(same(params(2, 3), 300, 150, 1));
    EXPECT_EQ(hv.mutations, 1u); // one atomic change, not one per VCPU
}

TEST_F(XlTest, SetAllVcpusWithLongOptions) {
    const XlRun r = xl({"sched-rtds", "--domain=vm2", "--vcpuid=all", "--period=500",
                        "--budget=200", "--extratime=0"});
    EXPECT_EQ(r.status, 0) << r.err;
    for (uint32_t v = 0; v < 4; ++v) EXPECT_TRUE(same(params(2, v), 500, 200, 0)) << v;
}

TEST_F(XlTest, AdmissionRefusalSaysPoolAndUtilisationAndHowToForce) {
    XlRun r = xl({"sched-rtds", "-d", "vm1", "-p", "100", "-b", "100"});
    expect_one_line_error(r, "admission control refused the change: cpupool 'Pool-0' "
                             "utilisation would go from 140.00% to 240.00%, above its limit "
                             "of 200.00%; add --force to apply it anyway");
    EXPECT_TRUE(same(params(1, 0), 300, 150, 0));
    EXPECT_EQ(hv.mutations, 0u);

    r = xl({"sched-rtds", "-d", "vm1", "-p", "100", "-b", "100", "--force"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.err, "xl sched-rtds: warning: cpupool 'Pool-0' is overcommitted: 240.00% of "
                     "200.00%\n");
    EXPECT_TRUE(same(params(1, 0), 100, 100, 0));
}

// Every bad input of issue 5 through the real command path: exit 1, one stderr line naming
// the problem, and not a single byte sent (checked before connecting).
TEST_F(XlTest, BadArgumentsSendNothing) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"-d", "vm1", "-p", "abc", "-b", "50"}, "period 'abc' is not a number"},
        {{"-d", "vm1", "-p", "-100", "-b", "50"}, "period -100 is negative"},
        {{"-d", "vm1", "-p", "0", "-b", "50"}, "period must not be zero"},
        {{"-d", "vm1", "-p", "18446744073709551616"}, "is too large"},
        {{"-d", "vm1", "-p", "100", "-b", "200"}, "budget 200 us is greater than period 100 us"},
        {{"-d", "vm1", "-p", "5", "-b", "5"}, "below the minimum of 10 us"},
        {{"-d", "vm1", "-p", "5000000000", "-b", "5000"}, "too large (limit 4294967295 us)"},
        {{"-d", "vm1", "-v", "all", "-v", "0", "-p", "100", "-b", "50"}, "'-v all' cannot"},
        {{"-d", "vm1", "-v", "0", "-v", "1", "-p", "100", "-b", "50"}, "counts do not match"},
        {{"-d", "vm1", "-e", "2"}, "extratime must be 0 or 1"},
        {{"-d", "vm1", "-p", "100", "-x"}, "unknown option '-x'"},
    };
    for (const auto& [args, what] : cases) {
        std::vector<std::string> full = {"sched-rtds"};
        full.insert(full.end(), args.begin(), args.end());
        const XlRun r = xl(full);
        expect_one_line_error(r, what);
        EXPECT_EQ(r.err.rfind("xl sched-rtds: ", 0), 0u) << r.err;
    }
    EXPECT_EQ(server.bytes_received(), 0u);
    EXPECT_EQ(hv.mutations, 0u);
}

// Problems only the live tables reveal: xl reads (lists) but never sends the change.
TEST_F(XlTest, BadTargetsChangeNothing) {
    const FakeDispatcher before;
    expect_one_line_error(xl({"sched-rtds", "-d", "vm9", "-p", "100", "-b", "50"}),
                          "unknown domain 'vm9' (see 'xl list')");
    expect_one_line_error(xl({"sched-rtds", "-d", "99", "-p", "100", "-b", "50"}),
                          "unknown domain '99'");
    expect_one_line_error(xl({"sched-rtds", "-d", "vm1", "-v", "2", "-p", "100", "-b", "50"}),
                          "VCPU 2 out of range: domain 'vm1' has 2 VCPUs (0-1)");
    // -b alone: checked against each VCPU's current period.
    expect_one_line_error(xl({"sched-rtds", "-d", "vm2", "-b", "1500"}),
                          "budget 1500 us would exceed period 1000 us of VCPU 0 of 'vm2'");
    EXPECT_EQ(hv.mutations, 0u);
    for (size_t d = 0; d < hv.domains.size(); ++d)
        for (size_t v = 0; v < hv.domains[d].vcpus.size(); ++v)
            EXPECT_TRUE(same(hv.domains[d].vcpus[v].params,
                             before.domains[d].vcpus[v].params.period_us,
                             before.domains[d].vcpus[v].params.budget_us,
                             before.domains[d].vcpus[v].params.extratime));
}

TEST_F(XlTest, NoHypervisorIsOneClearLine) {
    const XlRun r = xl_at("/tmp/rthv-no-such-dir/ctl.sock", {"sched-rtds"});
    expect_one_line_error(r, "no hypervisor at /tmp/rthv-no-such-dir/ctl.sock");
    EXPECT_NE(r.err.find("RTHV_CTL"), std::string::npos);
}

} // namespace
} // namespace rthv::test

// `xl sched-rtds` end to end against the fake hypervisor: every listing form, byte for byte.
#include "xl_harness.hpp"

namespace rthv::test {
namespace {

const char* kLong = "a-domain-with-a-very-long-name-0123456789";

TEST_F(XlTest, NoArgumentsListsEveryPoolWithRealValues) {
    const XlRun r = xl({"sched-rtds"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, ref_pool("Pool-0") + ref_dom_header() +
                         ref_dom_row("Domain-0", 0, 10000, 4000, true) +
                         ref_dom_row("vm1", 1, 300, 150, false) + ref_pool("rt-pool") +
                         ref_dom_header() + ref_dom_row("vm2", 2, 1000, 500, true) +
                         ref_dom_row(kLong, 7, 100000, 10000, true));
    // vm2's VCPU 2 differs from VCPU 0: said on stderr, stdout stays Xen's layout.
    EXPECT_NE(r.err.find("the VCPUs of 'vm2' have different parameters"), std::string::npos);
}

TEST_F(XlTest, DomainForm) {
    XlRun r = xl({"sched-rtds", "-d", "vm1"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, ref_dom_header() + ref_dom_row("vm1", 1, 300, 150, false));
    EXPECT_EQ(r.err, "");
    r = xl({"sched-rtds", "--domain=2"}); // by id
    EXPECT_EQ(r.out, ref_dom_header() + ref_dom_row("vm2", 2, 1000, 500, true));
}

TEST_F(XlTest, DomainAllVcpus) {
    const XlRun r = xl({"sched-rtds", "-d", "vm2", "-v", "all"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, ref_vcpu_header() + ref_vcpu_row("vm2", 2, 0, 1000, 500, true) +
                         ref_vcpu_row("vm2", 2, 1, 1000, 500, true) +
                         ref_vcpu_row("vm2", 2, 2, 2000, 400, false) +
                         ref_vcpu_row("vm2", 2, 3, 1000, 500, true));
}

TEST_F(XlTest, ChosenVcpusInCommandLineOrder) {
    const XlRun r = xl({"sched-rtds", "-d", "vm2", "-v", "2", "--vcpuid=0"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, ref_vcpu_header() + ref_vcpu_row("vm2", 2, 2, 2000, 400, false) +
                         ref_vcpu_row("vm2", 2, 0, 1000, 500, true));
}

TEST_F(XlTest, AllVcpusOfAllDomainsPerPool) {
    const XlRun r = xl({"sched-rtds", "-v", "all"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, ref_pool("Pool-0") + ref_vcpu_header() +
                         ref_vcpu_row("Domain-0", 0, 0, 10000, 4000, true) +
                         ref_vcpu_row("vm1", 1, 0, 300, 150, false) +
                         ref_vcpu_row("vm1", 1, 1, 300, 150, false) + ref_pool("rt-pool") +
                         ref_vcpu_header() + ref_vcpu_row("vm2", 2, 0, 1000, 500, true) +
                         ref_vcpu_row("vm2", 2, 1, 1000, 500, true) +
                         ref_vcpu_row("vm2", 2, 2, 2000, 400, false) +
                         ref_vcpu_row("vm2", 2, 3, 1000, 500, true) +
                         ref_vcpu_row(kLong, 7, 0, 100000, 10000, true));
}

TEST_F(XlTest, CpupoolSelectsOnePool) {
    XlRun r = xl({"sched-rtds", "-c", "rt-pool"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, ref_pool("rt-pool") + ref_dom_header() +
                         ref_dom_row("vm2", 2, 1000, 500, true) +
                         ref_dom_row(kLong, 7, 100000, 10000, true));
    r = xl({"sched-rtds", "--cpupool=Pool-0", "-v", "all"});
    EXPECT_EQ(r.out, ref_pool("Pool-0") + ref_vcpu_header() +
                         ref_vcpu_row("Domain-0", 0, 0, 10000, 4000, true) +
                         ref_vcpu_row("vm1", 1, 0, 300, 150, false) +
                         ref_vcpu_row("vm1", 1, 1, 300, 150, false));
    expect_one_line_error(xl({"sched-rtds", "-c", "Pool-9"}), "unknown cpupool 'Pool-9'");
}

TEST_F(XlTest, ListingErrorsAfterLookup) {
    expect_one_line_error(xl({"sched-rtds", "-d", "vm9"}), "unknown domain 'vm9'");
    expect_one_line_error(xl({"sched-rtds", "-d", "vm1", "-v", "5"}),
                          "VCPU 5 out of range: domain 'vm1' has 2 VCPUs (0-1)");
}

TEST_F(XlTest, HelpForms) {
    XlRun r = xl({"sched-rtds", "--help"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out.rfind("Usage: xl sched-rtds [-d <Domain> [-v[=VCPUID/all]]", 0), 0u);
    EXPECT_NE(r.out.find("--force"), std::string::npos);
    EXPECT_EQ(xl({"sched-rtds", "-h"}).out, r.out);
    EXPECT_EQ(xl({"help", "sched-rtds"}).out, r.out);
    r = xl({"help"});
    EXPECT_EQ(r.status, 0);
    for (const char* c : {"list", "vcpu-list", "info", "pause", "unpause", "dmesg", "debug-keys",
                          "sched-rtds", "sched-rtds-stats"})
        EXPECT_NE(r.out.find(std::string(" ") + c + " "), std::string::npos) << c;
    EXPECT_EQ(server.bytes_received(), 0u); // help never needs the hypervisor
    expect_one_line_error(xl({"frobnicate"}), "unknown command 'frobnicate'");
}

} // namespace
} // namespace rthv::test

// The default scenario (hv/config/default.cfg): it parses to the intended structures, and the
// copy in FORMAT.md is the same file.
#include <fstream>
#include <sstream>

#include "hv/sched/admission.hpp"
#include "tests/unit/config/config_test_util.hpp"

namespace rthv::config::test {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in.good()) << path;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string default_cfg() { return read_file(RTHV_SOURCE_DIR "/hv/config/default.cfg"); }

TEST(ConfigExample, DefaultScenarioParsesToTheIntendedDomains) {
    auto p = parse_text(default_cfg(), 4);
    ASSERT_TRUE(p.ok) << all_errors(*p);
    ASSERT_EQ(p->domain_count, 5u);
    EXPECT_EQ(p->pool_count, 1u);
    EXPECT_EQ(p->pools[0].cpus, CpuSet::first_n(4));

    const DomainSpec& ctrl = p->domains[0];
    EXPECT_STREQ(ctrl.name, "rt-ctrl");
    EXPECT_EQ(ctrl.workload.kind, config::kWorkloadPeriodic);
    EXPECT_EQ(ctrl.workload.job_us, 2000u);
    EXPECT_EQ(ctrl.workload.job_period_us, 10000u);
    EXPECT_EQ(ctrl.params, (Params{10000, 2500, false, WakeRule::Deferrable}));
    EXPECT_EQ(ctrl.memory_mib, 4u);

    const DomainSpec& audio = p->domains[1];
    EXPECT_STREQ(audio.name, "rt-audio");
    EXPECT_EQ(audio.vcpus, 2u);
    EXPECT_EQ(audio.workload.job_us, 800u);
    EXPECT_EQ(audio.workload.job_period_us, 5000u);
    EXPECT_EQ(audio.params, (Params{5000, 1000, false, WakeRule::Cbs}));

    const DomainSpec& batch = p->domains[2];
    EXPECT_STREQ(batch.name, "batch");
    EXPECT_EQ(batch.workload.kind, config::kWorkloadBusy);
    EXPECT_EQ(batch.vcpus, 2u);
    EXPECT_EQ(batch.params, (Params{20000, 8000, true, WakeRule::Deferrable}));
    EXPECT_EQ(batch.memory_mib, kDefaultMemoryMiB);

    const DomainSpec& ui = p->domains[3];
    EXPECT_STREQ(ui.name, "ui");
    EXPECT_EQ(ui.workload.kind, config::kWorkloadInteractive);
    EXPECT_EQ(ui.workload.burst_us, 300u);
    EXPECT_EQ(ui.workload.sleep_us, 8000u);
    EXPECT_EQ(ui.params, (Params{10000, 1000, true, WakeRule::Deferrable}));

    const DomainSpec& capped = p->domains[4];
    EXPECT_STREQ(capped.name, "capped");
    EXPECT_EQ(capped.params, (Params{10000, 2000, false, WakeRule::Deferrable}));
    EXPECT_EQ(capped.affinity[0], CpuSet::single(3));
    for (uint32_t i = 0; i < 4; ++i) EXPECT_EQ(p->domains[i].affinity[0], CpuSet::first_n(4));
}

// The header comment promises a set inside the GFB bound; keep the promise checked.
TEST(ConfigExample, DefaultScenarioIsWithinTheGlobalEdfBound) {
    auto p = parse_text(default_cfg(), 4);
    uint64_t total = 0, umax = 0;
    for (uint32_t i = 0; i < p->domain_count; ++i) {
        uint64_t u = utilisation_ppm(p->domains[i].params);
        total += u * p->domains[i].vcpus;
        umax = u > umax ? u : umax;
    }
    EXPECT_EQ(total, 1750000u);
    EXPECT_EQ(umax, 400000u);
    EXPECT_TRUE(gfb_holds(total, umax, 4));
}

TEST(ConfigExample, FormatDocumentCarriesTheSameDefaultScenario) {
    std::string doc = read_file(RTHV_SOURCE_DIR "/hv/config/FORMAT.md");
    std::string fence = "```ini\n";
    size_t start = doc.find(fence);
    ASSERT_NE(start, std::string::npos);
    start += fence.size();
    size_t end = doc.find("```", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_EQ(doc.substr(start, end - start), default_cfg());
}

TEST(ConfigExample, DefaultScenarioOnTwoCpusRejectsOnlyThePinnedDomain) {
    auto p = parse_text(default_cfg(), 2);
    ASSERT_EQ(p->total_errors(), 1u) << all_errors(*p);
    EXPECT_STREQ(p->errors[0].key, "cpus");
    EXPECT_TRUE(p->domains[4].rejected);
    EXPECT_EQ(p->accepted_domains(), 4u);
    char buf[200];
    format_summary(*p, buf, sizeof buf);
    EXPECT_STREQ(buf, "config: 1 error, 4 domains accepted; rejected domains: capped (line 41)");
}

} // namespace
} // namespace rthv::config::test

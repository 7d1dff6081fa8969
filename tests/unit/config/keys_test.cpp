// Every [domain] key reaches its field, and omitted keys get Xen's defaults.
#include "tests/unit/config/config_test_util.hpp"

namespace rthv::config::test {
namespace {

TEST(ConfigKeys, DefaultsAreXensAndAffinityIsEveryCpu) {
    auto p = parse_text("[domain]\nname = \"d\"\n", 3);
    ASSERT_TRUE(p.ok) << all_errors(*p);
    const DomainSpec& d = p->domains[0];
    EXPECT_EQ(d.vcpus, 1u);
    EXPECT_EQ(d.memory_mib, kDefaultMemoryMiB);
    EXPECT_EQ(d.workload.kind, config::kWorkloadBusy);
    EXPECT_EQ(d.params.period_us, 10000u);
    EXPECT_EQ(d.params.budget_us, 4000u);
    EXPECT_TRUE(d.params.extratime);
    EXPECT_EQ(d.params.wake_rule, WakeRule::Deferrable);
    EXPECT_EQ(d.pool, 0u);
    EXPECT_STREQ(p->pools[0].name, "Pool-0");
    EXPECT_EQ(p->pools[0].cpus, CpuSet::first_n(3));
    for (const CpuSet& a : d.affinity) EXPECT_EQ(a, CpuSet::first_n(3));
}

TEST(ConfigKeys, EveryDomainKeySetsItsField) {
    auto p = parse_text("[domain]\nname = \"all-keys_1.0\"\nvcpus = 3\nmemory = 64\n"
                        "period = 20000\nbudget = 5000\nextratime = 0\nwake = \"cbs\"\n"
                        "cpus = \"1-2\"\npool = \"Pool-0\"\n");
    ASSERT_TRUE(p.ok) << all_errors(*p);
    const DomainSpec& d = p->domains[0];
    EXPECT_STREQ(d.name, "all-keys_1.0");
    EXPECT_EQ(d.vcpus, 3u);
    EXPECT_EQ(d.memory_mib, 64u);
    EXPECT_EQ(d.params.period_us, 20000u);
    EXPECT_EQ(d.params.budget_us, 5000u);
    EXPECT_FALSE(d.params.extratime);
    EXPECT_EQ(d.params.wake_rule, WakeRule::Cbs);
    CpuSet one_two = CpuSet::single(1) | CpuSet::single(2);
    for (uint32_t v = 0; v < kMaxVcpusPerDomain; ++v) EXPECT_EQ(d.affinity[v], one_two);
    EXPECT_EQ(d.pool, 0u);
}

TEST(ConfigKeys, ExtratimeOneAndWakeDeferrable) {
    auto p = parse_text(domain_with("extratime = 1\nwake = 'deferrable'"));
    ASSERT_TRUE(p.ok) << all_errors(*p);
    EXPECT_TRUE(p->domains[0].params.extratime);
    EXPECT_EQ(p->domains[0].params.wake_rule, WakeRule::Deferrable);
}

TEST(ConfigKeys, EveryKernelNameSelectsItsWorkload) {
    for (uint32_t w = 0; w < config::kWorkloadCount; ++w) {
        auto kind = static_cast<config::Workload>(w);
        std::string name = workload_name(kind);
        // kernel "tasks" runs the domain's task set: it needs one (plan_keys_test.cpp).
        std::string tasks = kind == config::kWorkloadTasks ? "\ntasks = \"100/1000\"" : "";
        auto p = parse_text(domain_with("kernel = \"" + name + "\"" + tasks));
        ASSERT_TRUE(p.ok) << name << ": " << all_errors(*p);
        EXPECT_EQ(p->domains[0].workload.kind, kind) << name;
    }
    EXPECT_STREQ(workload_name(config::kWorkloadExitStorm), "exit-storm");
    EXPECT_STREQ(workload_name(config::kWorkloadCount), "?");
}

TEST(ConfigKeys, PeriodicParametersAndTheirDefaults) {
    auto p = parse_text(domain_with("kernel = \"periodic\"\njob_us = 1500\njob_period_us = 8000\n"
                                    "release_offset_us = 300\n[domain]\nname = \"e\"\n"
                                    "kernel = \"periodic\"\nperiod = 5000\nbudget = 1200"));
    ASSERT_TRUE(p.ok) << all_errors(*p);
    const WorkloadSpec& w = p->domains[0].workload;
    EXPECT_EQ(w.job_us, 1500u);
    EXPECT_EQ(w.job_period_us, 8000u);
    EXPECT_EQ(w.release_offset_us, 300u);
    const WorkloadSpec& e = p->domains[1].workload;
    EXPECT_EQ(e.job_us, 1200u) << "C defaults to the budget";
    EXPECT_EQ(e.job_period_us, 5000u) << "T defaults to the period";
    EXPECT_EQ(e.release_offset_us, 0u);
}

TEST(ConfigKeys, JobLongerThanTheBudgetIsAllowedOverrunsAreATestCase) {
    auto p = parse_text(domain_with("kernel = \"periodic\"\nbudget = 1000\njob_us = 3000"));
    ASSERT_TRUE(p.ok) << all_errors(*p);
    EXPECT_EQ(p->domains[0].workload.job_us, 3000u);
}

TEST(ConfigKeys, InteractiveParametersAndTheirDefaults) {
    auto p = parse_text(domain_with("kernel = \"interactive\"\nburst_us = 250\nsleep_us = 7000\n"
                                    "[domain]\nname = \"e\"\nkernel = \"interactive\""));
    ASSERT_TRUE(p.ok) << all_errors(*p);
    EXPECT_EQ(p->domains[0].workload.burst_us, 250u);
    EXPECT_EQ(p->domains[0].workload.sleep_us, 7000u);
    EXPECT_EQ(p->domains[1].workload.burst_us, kDefaultBurstUs);
    EXPECT_EQ(p->domains[1].workload.sleep_us, kDefaultSleepUs);
}

TEST(ConfigKeys, CpuListSyntaxFollowsXl) {
    struct Case {
        const char* spec;
        std::initializer_list<CpuId> cpus;
    };
    const Case cases[] = {
        {"\"all\"", {0, 1, 2, 3, 4, 5, 6, 7}},
        {"\"0-3,^1\"", {0, 2, 3}},
        {"\"^0\"", {1, 2, 3, 4, 5, 6, 7}},
        {"\"^0-5\"", {6, 7}},
        {"\"2,3\"", {2, 3}},
        {"\" 1 - 2 , 7 \"", {1, 2, 7}},
        {"\"all,^3\"", {0, 1, 2, 4, 5, 6, 7}},
        {"5", {5}},
        {"\"7\"", {7}},
        {"\"0-7\"", {0, 1, 2, 3, 4, 5, 6, 7}},
    };
    for (const Case& c : cases) {
        auto p = parse_text(domain_with(std::string("cpus = ") + c.spec), 8);
        ASSERT_TRUE(p.ok) << c.spec << ": " << all_errors(*p);
        CpuSet want;
        for (CpuId cpu : c.cpus) want.set(cpu);
        EXPECT_EQ(p->domains[0].affinity[0], want) << c.spec;
    }
}

TEST(ConfigKeys, CpuListPerVcpuLeavesLaterVcpusUnpinned) {
    auto p = parse_text(domain_with("vcpus = 3\ncpus = [\"0\", \"1-2\"]"));
    ASSERT_TRUE(p.ok) << all_errors(*p);
    const DomainSpec& d = p->domains[0];
    EXPECT_EQ(d.affinity[0], CpuSet::single(0));
    EXPECT_EQ(d.affinity[1], CpuSet::single(1) | CpuSet::single(2));
    EXPECT_EQ(d.affinity[2], CpuSet::first_n(4));
}

TEST(ConfigKeys, LimitsAreInclusive) {
    auto p = parse_text(domain_with("vcpus = 64\nmemory = 1048576\nperiod = 4294967296\n"
                                    "budget = 10\n[domain]\nname = \"e\"\nvcpus = 1\n"
                                    "memory = 1\nperiod = 10\nbudget = 10"));
    ASSERT_TRUE(p.ok) << all_errors(*p);
    EXPECT_EQ(p->domains[0].vcpus, kMaxVcpusPerDomain);
    EXPECT_EQ(p->domains[0].memory_mib, kMaxMemoryMiB);
    EXPECT_EQ(p->domains[0].params.period_us, kMaxPeriodUs);
    EXPECT_EQ(p->domains[1].params.period_us, kMinParamUs);
}

// Xen takes domain names longer than 31 characters; the control protocol carries 63.
TEST(ConfigKeys, DomainNamesOf63CharactersAreAccepted) {
    static_assert(kMaxDomainNameLength == 63);
    std::string name(kMaxDomainNameLength, 'n');
    auto p = parse_text("[domain]\nname = \"" + name + "\"\n");
    ASSERT_TRUE(p.ok) << all_errors(*p);
    EXPECT_EQ(std::string(p->domains[0].name), name);
}

TEST(ConfigKeys, DomainNameOf64CharactersIsRefusedByName) {
    auto p = parse_text("[domain]\nname = \"" + std::string(64, 'n') + "\"\n");
    ASSERT_FALSE(p.ok);
    EXPECT_NE(all_errors(*p).find("name is longer than 63 characters"), std::string::npos)
        << all_errors(*p);
}

// Pool names stay as long as the scheduler keeps them (kMaxPoolName - 1).
TEST(ConfigKeys, PoolNamesStopAt31Characters) {
    const std::string ok(kMaxPoolNameLength, 'p'), bad(kMaxPoolNameLength + 1, 'p');
    auto p = parse_text("[pool]\nname = \"" + ok + "\"\ncpus = \"1\"\n", 2);
    ASSERT_TRUE(p.ok) << all_errors(*p);
    EXPECT_EQ(std::string(p->pools[1].name), ok);
    auto q = parse_text("[pool]\nname = \"" + bad + "\"\ncpus = \"1\"\n", 2);
    ASSERT_FALSE(q.ok);
    EXPECT_NE(all_errors(*q).find("name is longer than 31 characters"), std::string::npos);
}

} // namespace
} // namespace rthv::config::test

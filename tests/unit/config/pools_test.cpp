// [pool] sections: Pool-0 keeps the rest, pools are disjoint, domains name them in any order,
// and a pool with an error takes its domains down with it.
#include "tests/unit/config/config_test_util.hpp"

namespace rthv::config::test {
namespace {

CpuSet cpus(std::initializer_list<CpuId> list) {
    CpuSet s;
    for (CpuId c : list) s.set(c);
    return s;
}

TEST(ConfigPools, PoolsTakeTheirCpusAndPool0KeepsTheRest) {
    auto p = parse_text("[domain]\nname = \"a\"\npool = \"rt\"\n[pool]\nname = \"rt\"\n"
                        "cpus = \"2-3\"\n[pool]\nname = 'io'\ncpus = [\"5\", 6]\n[domain]\n"
                        "name = \"b\"\n",
                        8);
    ASSERT_TRUE(p.ok) << all_errors(*p);
    ASSERT_EQ(p->pool_count, 3u);
    EXPECT_STREQ(p->pools[1].name, "rt");
    EXPECT_EQ(p->pools[1].cpus, cpus({2, 3}));
    EXPECT_EQ(p->pools[1].line, 4u);
    EXPECT_STREQ(p->pools[2].name, "io");
    EXPECT_EQ(p->pools[2].cpus, cpus({5, 6}));
    EXPECT_EQ(p->pools[0].cpus, cpus({0, 1, 4, 7}));
    EXPECT_EQ(p->domains[0].pool, 1u) << "a pool may be declared after the domain naming it";
    EXPECT_EQ(p->domains[1].pool, 0u);
}

TEST(ConfigPools, DomainMayNamePool0Explicitly) {
    auto p = parse_text(domain_with("pool = \"Pool-0\""));
    ASSERT_TRUE(p.ok) << all_errors(*p);
    EXPECT_EQ(p->domains[0].pool, 0u);
}

struct PoolCase {
    const char* text;
    const char* error;
    uint32_t rejected_pool; // 0 when none
};

class ConfigPoolError : public ::testing::TestWithParam<PoolCase> {};

TEST_P(ConfigPoolError, NamesLineAndKey) {
    auto p = parse_text(std::string("[pool]\nname = \"rt\"\ncpus = \"3\"\n") + GetParam().text);
    EXPECT_EQ(only_error(p), GetParam().error);
    EXPECT_EQ(p->errors[0].domain, kMaxDomains);
    for (uint32_t j = 1; j < p->pool_count; ++j)
        EXPECT_EQ(p->pools[j].rejected, j == GetParam().rejected_pool) << j;
}

INSTANTIATE_TEST_SUITE_P(
    Pools, ConfigPoolError,
    ::testing::Values(
        PoolCase{"[pool]\ncpus = \"1\"", "line 4, key \"name\": pool has no name", 2},
        PoolCase{"[pool]\nname = \"p\"", "line 4, key \"cpus\": pool has no cpus", 2},
        PoolCase{"[pool]\nname = \"rt\"\ncpus = \"1\"",
                 "line 5, key \"name\": pool name \"rt\" is already used on line 1", 2},
        PoolCase{"[pool]\nname = \"p\"\ncpus = \"2-3\"",
                 "line 6, key \"cpus\": CPUs overlap pool \"rt\" (line 1)", 2},
        PoolCase{"[pool]\nname = \"Pool-0\"\ncpus = \"1\"",
                 "line 5, key \"name\": Pool-0 is implicit: it holds every CPU no [pool] takes", 2},
        PoolCase{"[pool]\nname = \"p\"\ncpus = \"1\"\nvcpus = 2",
                 "line 7, key \"vcpus\": unknown key in a [pool] section (keys: name, cpus)", 2},
        PoolCase{"[pool]\nname = \"p\"\ncpus = \"1\"\ncpus = \"2\"",
                 "line 7, key \"cpus\": duplicate key (first set on line 6)", 2},
        PoolCase{"[pool]\nname = \"p\"\ncpus = []", "line 6, key \"cpus\": empty list", 2},
        PoolCase{"[pool]\nname = \"p\"\ncpus = \"7\"",
                 "line 6, key \"cpus\": CPU 7 does not exist (CPUs are 0-3)", 2},
        PoolCase{"[pool]\nname = \"p\"\ncpus = \"1", "line 6, key \"cpus\": unterminated string",
                 2},
        PoolCase{"[pool]\nname = \"p\"\ncpus = 1\nbogus",
                 "line 7, key \"bogus\": expected '=' "
                 "after the key",
                 2}));

TEST(ConfigPools, EightPoolsIncludingPool0FitTheNinthIsRefused) {
    std::string text;
    for (int i = 1; i <= 8; ++i)
        text +=
            "[pool]\nname = \"p" + std::to_string(i) + "\"\ncpus = \"" + std::to_string(i) + "\"\n";
    auto p = parse_text(text, 16);
    EXPECT_EQ(only_error(p), "line 22, section [pool]: more than 8 pools (with Pool-0)");
    EXPECT_EQ(p->pool_count, kMaxPools);
}

TEST(ConfigPools, ARejectedPoolRejectsItsDomainsAndLeavesItsCpusInPool0) {
    auto p = parse_text("[pool]\nname = \"rt\"\ncpus = \"2-3\"\nbogus = 1\n[domain]\n"
                        "name = \"a\"\npool = \"rt\"\n[domain]\nname = \"b\"\n");
    ASSERT_EQ(p->total_errors(), 2u) << all_errors(*p);
    EXPECT_EQ(std::string(p->errors[1].text),
              "line 7, key \"pool\": pool \"rt\" (line 1) has errors");
    EXPECT_TRUE(p->domains[0].rejected);
    EXPECT_FALSE(p->domains[1].rejected);
    EXPECT_EQ(p->pools[0].cpus, CpuSet::first_n(4));
}

TEST(ConfigPools, Pool0WithNoCpusLeftRejectsItsDomainsOnly) {
    auto p = parse_text("[pool]\nname = \"all\"\ncpus = \"all\"\n[domain]\nname = \"a\"\n"
                        "[domain]\nname = \"b\"\npool = \"all\"\n");
    EXPECT_EQ(only_error(p), "line 4, key \"pool\": pool \"Pool-0\" has no CPUs left (every CPU "
                             "is in a [pool])");
    EXPECT_TRUE(p->domains[0].rejected);
    EXPECT_FALSE(p->domains[1].rejected);
    EXPECT_EQ(p->domains[1].pool, 1u);
}

TEST(ConfigPools, EveryVcpuNeedsACpuOfItsPool) {
    auto p = parse_text("[pool]\nname = \"rt\"\ncpus = \"2-3\"\n[domain]\nname = \"a\"\n"
                        "pool = \"rt\"\nvcpus = 2\ncpus = [\"1-2\", \"0-1\"]\n");
    EXPECT_EQ(only_error(p), "line 8, key \"cpus\": VCPU 1 has no CPU in pool \"rt\" (2-3)");
    EXPECT_TRUE(p->domains[0].rejected);
    auto ok = parse_text("[pool]\nname = \"rt\"\ncpus = \"2-3\"\n[domain]\nname = \"a\"\n"
                         "pool = \"rt\"\nvcpus = 2\ncpus = [\"1-2\", \"0-1\"]\n"
                         "[domain]\nname = \"b\"\ncpus = \"1-2\"\npool = \"rt\"\n");
    EXPECT_FALSE(ok->domains[1].rejected) << "affinity only has to meet the pool";
}

} // namespace
} // namespace rthv::config::test

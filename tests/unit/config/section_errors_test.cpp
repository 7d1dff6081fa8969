// Errors about a domain as a whole (names, keys, sections, capacities) and the policy: a domain
// with any error is rejected, every other domain stays startable.
#include "tests/unit/config/config_test_util.hpp"

namespace rthv::config::test {
namespace {

struct NameCase {
    const char* name_line; // line 5, in the second of three domains
    const char* error;
};

class ConfigNameError : public ::testing::TestWithParam<NameCase> {};

TEST_P(ConfigNameError, RejectsOnlyTheMiddleDomain) {
    auto p = parse_text(std::string("[domain]\nname = \"a\"\n[domain]\nvcpus = 1\n") +
                        GetParam().name_line + "\n[domain]\nname = \"c\"\n");
    EXPECT_EQ(only_error(p), GetParam().error);
    ASSERT_EQ(p->domain_count, 3u);
    EXPECT_FALSE(p->domains[0].rejected);
    EXPECT_TRUE(p->domains[1].rejected);
    EXPECT_FALSE(p->domains[2].rejected);
    EXPECT_EQ(p->errors[0].domain, 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Names, ConfigNameError,
    ::testing::Values(
        NameCase{"name = \"\"", "line 5, key \"name\": name is empty"},
        NameCase{"name = \"my vm\"",
                 "line 5, key \"name\": name may contain only letters, digits, '_', '.' and '-'"},
        NameCase{"name = \"caf\xc3\xa9\"",
                 "line 5, key \"name\": name may contain only letters, digits, '_', '.' and '-'"},
        NameCase{"name = \"tab\there\"",
                 "line 5, key \"name\": name may contain only letters, digits, '_', '.' and '-'"},
        NameCase{"name = \"0123456789012345678901234567890123456789012345678901234567890123\"",
                 "line 5, key \"name\": name is longer than 63 characters"},
        NameCase{"name = 5", "line 5, key \"name\": expects a quoted string, not a number"},
        NameCase{"name = \"b", "line 5, key \"name\": unterminated string"},
        NameCase{"# no name", "line 3, key \"name\": domain has no name"},
        NameCase{"name = \"a\"",
                 "line 5, key \"name\": domain name \"a\" is already used on line 1"},
        NameCase{"name = \"b\"\nname = \"b2\"",
                 "line 6, key \"name\": duplicate key (first set on line 5)"},
        NameCase{"name = \"b\"; maxvcpus = 4", "line 5, key \"maxvcpus\": unknown key"},
        NameCase{"name = \"b\"\nName = \"b\"", "line 6, key \"Name\": unknown key"},
        NameCase{"name = \"b\"\nvcpus = 2", "line 6, key \"vcpus\": duplicate key (first set on "
                                            "line 4)"}));

TEST(ConfigSections, DuplicateKeyKeepsTheFirstValue) {
    auto p = parse_text(domain_with("vcpus = 2\nvcpus = 3"));
    EXPECT_EQ(only_error(p), "line 4, key \"vcpus\": duplicate key (first set on line 3)");
    EXPECT_EQ(p->domains[0].vcpus, 2u);
}

TEST(ConfigSections, ARejectedDomainStillReportsEveryError) {
    auto p = parse_text(domain_with("vcpus = 0\nmemory = \"x\"\nbogus = 1\ncpus = \"9\""));
    ASSERT_EQ(p->total_errors(), 4u) << all_errors(*p);
    EXPECT_EQ(p->errors[0].line, 3u);
    EXPECT_EQ(p->errors[1].line, 4u);
    EXPECT_EQ(p->errors[2].line, 5u);
    EXPECT_EQ(p->errors[3].line, 6u);
    EXPECT_STREQ(p->errors[3].key, "cpus");
}

TEST(ConfigSections, UnknownSectionIgnoresItsKeysAndRejectsNothingElse) {
    auto p = parse_text("[domain]\nname = \"a\"\n[domian]\nname = \"b\"\nbogus = 1\n");
    EXPECT_EQ(only_error(p),
              "line 3, section [domian]: unknown section (expected [domain] or [pool])");
    ASSERT_EQ(p->domain_count, 1u);
    EXPECT_FALSE(p->domains[0].rejected);
    EXPECT_STREQ(p->errors[0].key, "[domian]");
}

TEST(ConfigSections, ThirtyTwoDomainsFitTheThirtyThirdIsRefused) {
    std::string text;
    for (int i = 0; i < 33; ++i) text += "[domain]\nname = \"d" + std::to_string(i) + "\"\n";
    auto p = parse_text(text);
    EXPECT_EQ(only_error(p), "line 65, section [domain]: more than 32 domains");
    EXPECT_EQ(p->domain_count, kMaxDomains);
    EXPECT_EQ(p->accepted_domains(), kMaxDomains);
}

TEST(ConfigSections, ErrorsBeyondTheStoreAreCountedAndStillReject) {
    std::string text;
    for (int i = 0; i < 20; ++i)
        text += "[domain]\nname = \"d" + std::to_string(i) + "\"\nx = 1\ny = 2\n";
    auto p = parse_text(text);
    EXPECT_EQ(p->error_count, kMaxErrors);
    EXPECT_EQ(p->errors_dropped, 40u - kMaxErrors);
    EXPECT_EQ(p->total_errors(), 40u);
    EXPECT_EQ(p->accepted_domains(), 0u);
}

TEST(ConfigSections, MachineAndFileLimitsAreFileLevelErrors) {
    auto none = parse_text("name = \"a\"\n", 0);
    EXPECT_EQ(only_error(none), "config: CPU count 0 is outside 1-256");
    auto many = parse_text("name = \"a\"\n", kMaxCpus + 1);
    EXPECT_EQ(only_error(many), "config: CPU count 257 is outside 1-256");
    auto big = parse_text(std::string(kMaxFileBytes + 1, '\n'));
    EXPECT_EQ(only_error(big), "config: file is larger than 1048576 bytes");
    EXPECT_TRUE(parse_text(std::string(kMaxFileBytes, '\n')).ok);
}

TEST(ConfigSections, SummaryListsRejectedDomainsAndPools) {
    char buf[256];
    auto good = parse_text("[domain]\nname = \"a\"\n[domain]\nname = \"b\"\n");
    format_summary(*good, buf, sizeof buf);
    EXPECT_STREQ(buf, "config: ok, 2 domains");
    auto bad = parse_text("[domain]\nname = \"a\"\nvcpus = 0\n[domain]\nname = \"b\"\n[domain]\n"
                          "vcpus = 1\n[pool]\nname = \"p\"\n");
    size_t n = format_summary(*bad, buf, sizeof buf);
    EXPECT_STREQ(buf, "config: 3 errors, 1 domain accepted; rejected domains: a (line 1), "
                      "<unnamed> (line 6); rejected pools: p (line 8)");
    EXPECT_EQ(n, std::string(buf).size());
    char small[16];
    EXPECT_EQ(format_summary(*bad, small, sizeof small), n) << "length without truncation";
    EXPECT_EQ(std::string(small), std::string(buf).substr(0, 15));
}

} // namespace
} // namespace rthv::config::test

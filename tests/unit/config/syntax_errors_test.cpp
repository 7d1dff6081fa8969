// Malformed statements: each gives one error naming its line and key, the lexer resumes on the
// next line, and only the domain containing it is rejected.
#include "tests/unit/config/config_test_util.hpp"

namespace rthv::config::test {
namespace {

struct SyntaxCase {
    const char* line3; // the statement placed on line 3 of a valid domain
    const char* error;
};

class ConfigSyntaxError : public ::testing::TestWithParam<SyntaxCase> {};

TEST_P(ConfigSyntaxError, NamesLineAndKeyAndRejectsOnlyThatDomain) {
    std::string text = domain_with(GetParam().line3) + "vcpus = 2\n[domain]\nname = \"ok\"\n";
    auto p = parse_text(text);
    EXPECT_EQ(only_error(p), GetParam().error);
    EXPECT_EQ(p->errors[0].line, 3u);
    EXPECT_EQ(p->errors[0].domain, 0u);
    ASSERT_EQ(p->domain_count, 2u);
    EXPECT_TRUE(p->domains[0].rejected);
    EXPECT_EQ(p->domains[0].vcpus, 2u) << "the line after the error must still be read";
    EXPECT_FALSE(p->domains[1].rejected);
}

INSTANTIATE_TEST_SUITE_P(
    Lexer, ConfigSyntaxError,
    ::testing::Values(
        SyntaxCase{"memory = \"16", "line 3, key \"memory\": unterminated string"},
        SyntaxCase{"memory = '16\"", "line 3, key \"memory\": unterminated string"},
        SyntaxCase{"cpus = [\"0\", \"1\"", "line 3, key \"cpus\": unterminated list"},
        SyntaxCase{"cpus = [\"0\" \"1\"]", "line 3, key \"cpus\": expected ',' or ']'"},
        SyntaxCase{"cpus = [[\"0\"]]", "line 3, key \"cpus\": lists cannot be nested"},
        SyntaxCase{"kernel = busy", "line 3, key \"kernel\": strings must be quoted"},
        SyntaxCase{"memory = abc", "line 3, key \"memory\": strings must be quoted"},
        SyntaxCase{"memory = -5", "line 3, key \"memory\": must not be negative"},
        SyntaxCase{"memory = 010", "line 3, key \"memory\": leading zeros are not allowed (xl "
                                   "would read octal)"},
        SyntaxCase{"period = 18446744073709551616",
                   "line 3, key \"period\": number does not fit in 64 bits"},
        SyntaxCase{"period = 0x10000000000000000",
                   "line 3, key \"period\": number does not fit in 64 bits"},
        SyntaxCase{"memory = 12abc", "line 3, key \"memory\": malformed number"},
        SyntaxCase{"memory = 1.5", "line 3, key \"memory\": malformed number"},
        SyntaxCase{"memory = 0x", "line 3, key \"memory\": malformed number"},
        SyntaxCase{"memory 16", "line 3, key \"memory\": expected '=' after the key"},
        SyntaxCase{"memory =", "line 3, key \"memory\": missing value"},
        SyntaxCase{"memory = # none", "line 3, key \"memory\": missing value"},
        SyntaxCase{"memory = 16 17", "line 3, key \"memory\": unexpected text after the value"},
        SyntaxCase{"memory = 16 vcpus = 1",
                   "line 3, key \"memory\": unexpected text after the value"},
        SyntaxCase{"memory = @", "line 3, key \"memory\": expected a number, a quoted string or "
                                 "a list"},
        SyntaxCase{"name2 = \"a\tb\x01\"", "line 3, key \"name2\": control character in string"},
        SyntaxCase{"= 5", "line 3: expected a key or a [section]"},
        SyntaxCase{"\xff\xfe", "line 3: expected a key or a [section]"}));

TEST(ConfigSyntaxErrors, ListsAreLimitedTo64Items) {
    std::string list = "cpus = [";
    for (int i = 0; i < 65; ++i) list += "0,";
    auto p = parse_text(domain_with(list + "]"));
    EXPECT_EQ(only_error(p), "line 3, key \"cpus\": list has more than 64 items");
    std::string ok = "vcpus = 64\ncpus = [";
    for (int i = 0; i < 64; ++i) ok += "0,";
    EXPECT_TRUE(parse_text(domain_with(ok + "]")).ok);
}

TEST(ConfigSyntaxErrors, AnErrorDropsTheRestOfItsLineIncludingLaterStatements) {
    auto p = parse_text(domain_with("memory = -1; vcpus = 4\nperiod = 20000"));
    EXPECT_EQ(only_error(p), "line 3, key \"memory\": must not be negative");
    EXPECT_EQ(p->domains[0].vcpus, 1u);
    EXPECT_EQ(p->domains[0].params.period_us, 20000u);
}

TEST(ConfigSyntaxErrors, ABrokenHeaderSkipsItsKeysInsteadOfChargingThePreviousDomain) {
    auto p = parse_text("[domain]\nname = \"a\"\n[domain\nname = \"b\"\nbogus = 1\n[domain]\n"
                        "name = \"c\"\n");
    EXPECT_EQ(only_error(p), "line 3, section [domain]: malformed section header");
    EXPECT_EQ(p->errors[0].domain, kMaxDomains);
    ASSERT_EQ(p->domain_count, 2u);
    EXPECT_STREQ(p->domains[0].name, "a");
    EXPECT_FALSE(p->domains[0].rejected);
    EXPECT_STREQ(p->domains[1].name, "c");
}

TEST(ConfigSyntaxErrors, TextAfterAHeaderIsAnError) {
    auto p = parse_text("[domain] name = \"a\"\n");
    EXPECT_EQ(only_error(p), "line 1, section [domain]: unexpected text after the section header");
}

TEST(ConfigSyntaxErrors, ASyntaxErrorBeforeAnyHeaderBelongsToTheImplicitDomain) {
    auto p = parse_text("name = \"x\"\nvcpus = two\n[domain]\nname = \"y\"\n");
    EXPECT_EQ(only_error(p), "line 2, key \"vcpus\": strings must be quoted");
    ASSERT_EQ(p->domain_count, 2u);
    EXPECT_TRUE(p->domains[0].rejected);
    EXPECT_FALSE(p->domains[1].rejected);
}

TEST(ConfigSyntaxErrors, AMalformedValueStillCountsAsGivenForLaterChecks) {
    auto p = parse_text("[domain]\nname = \"unterminated\nname = \"again\"\n");
    ASSERT_EQ(p->total_errors(), 2u) << all_errors(*p);
    EXPECT_EQ(std::string(p->errors[0].text), "line 2, key \"name\": unterminated string");
    EXPECT_EQ(std::string(p->errors[1].text),
              "line 3, key \"name\": duplicate key (first set on line 2)");
}

} // namespace
} // namespace rthv::config::test

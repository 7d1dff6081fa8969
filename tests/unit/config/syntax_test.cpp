// What the lexer accepts: xl.cfg's comments, quotes, numbers, lists and ';' separators.
#include "tests/unit/config/config_test_util.hpp"

namespace rthv::config::test {
namespace {

TEST(ConfigSyntax, EmptyAndCommentOnlyFilesHaveNoDomainsAndNoErrors) {
    for (const char* text : {"", "\n\n", "# nothing here\n   # still nothing", "  \t\r\n;;"}) {
        auto p = parse_text(text);
        EXPECT_TRUE(p.ok) << text;
        EXPECT_EQ(p->domain_count, 0u);
        EXPECT_EQ(p->pool_count, 1u);
    }
}

TEST(ConfigSyntax, KeysBeforeAnyHeaderFormAPlainXlDomain) {
    auto p = parse_text("name = \"vm1\"\nvcpus = 2\nmemory = 16\n");
    ASSERT_TRUE(p.ok) << all_errors(*p);
    ASSERT_EQ(p->domain_count, 1u);
    EXPECT_STREQ(p->domains[0].name, "vm1");
    EXPECT_EQ(p->domains[0].vcpus, 2u);
    EXPECT_EQ(p->domains[0].line, 1u);
}

TEST(ConfigSyntax, SectionsStartNewDomainsInFileOrder) {
    auto p = parse_text("name=\"a\"\n[domain]\nname=\"b\"\n[ domain ]\nname=\"c\"\n");
    ASSERT_TRUE(p.ok) << all_errors(*p);
    ASSERT_EQ(p->domain_count, 3u);
    EXPECT_STREQ(p->domains[0].name, "a");
    EXPECT_STREQ(p->domains[1].name, "b");
    EXPECT_EQ(p->domains[1].line, 2u);
    EXPECT_STREQ(p->domains[2].name, "c");
    EXPECT_EQ(p->domains[2].line, 4u);
}

TEST(ConfigSyntax, SemicolonsSeparateStatementsLikeNewlines) {
    auto p = parse_text("[domain]; name = 'x'; vcpus = 3;period=20000 ; budget = 5000");
    ASSERT_TRUE(p.ok) << all_errors(*p);
    EXPECT_STREQ(p->domains[0].name, "x");
    EXPECT_EQ(p->domains[0].vcpus, 3u);
    EXPECT_EQ(p->domains[0].params.period_us, 20000u);
    EXPECT_EQ(p->domains[0].params.budget_us, 5000u);
}

TEST(ConfigSyntax, CommentsMayFollowValuesAndHeaders) {
    auto p = parse_text("[domain] # first\nname = \"a\" # the name\nvcpus = 2#two\n");
    ASSERT_TRUE(p.ok) << all_errors(*p);
    EXPECT_STREQ(p->domains[0].name, "a");
    EXPECT_EQ(p->domains[0].vcpus, 2u);
}

TEST(ConfigSyntax, HashInsideQuotesIsText) {
    // Read as a comment it would leave an unterminated string; as text it is a bad name.
    auto p = parse_text("[domain]\nname = \"a#b\"\n");
    EXPECT_EQ(only_error(p), "line 2, key \"name\": name may contain only letters, digits, '_', "
                             "'.' and '-'");
}

TEST(ConfigSyntax, SingleAndDoubleQuotesEachMayHoldTheOther) {
    auto p = parse_text("[domain]\nname = 'vm'\ncpus = \"0-1\"\n[domain]\nname = \"w\"\n");
    ASSERT_TRUE(p.ok) << all_errors(*p);
    EXPECT_STREQ(p->domains[0].name, "vm");
    // A quote of the other kind is text; here it makes the name invalid, which proves it was read.
    auto q = parse_text("[domain]\nname = \"it's\"\n");
    EXPECT_EQ(only_error(q), "line 2, key \"name\": name may contain only letters, digits, '_', "
                             "'.' and '-'");
}

TEST(ConfigSyntax, HexadecimalNumbers) {
    auto p = parse_text(domain_with("period = 0x2710\nbudget = 0X3e8"));
    ASSERT_TRUE(p.ok) << all_errors(*p);
    EXPECT_EQ(p->domains[0].params.period_us, 10000u);
    EXPECT_EQ(p->domains[0].params.budget_us, 1000u);
}

TEST(ConfigSyntax, ZeroAndTheLargest64BitNumberAreNumbers) {
    auto p = parse_text(domain_with("extratime = 0\nperiod = 18446744073709551615"));
    EXPECT_FALSE(p->domains[0].params.extratime);
    EXPECT_EQ(p->domains[0].params.period_us, ~uint64_t{0});
    EXPECT_EQ(only_error(p),
              "line 4, key \"period\": period is above the maximum of 4294967296 us");
}

TEST(ConfigSyntax, WindowsLineEndingsAreBlanks) {
    auto p = parse_text("[domain]\r\nname = \"w\"\r\nvcpus = 2\r\n");
    ASSERT_TRUE(p.ok) << all_errors(*p);
    EXPECT_EQ(p->domains[0].vcpus, 2u);
}

TEST(ConfigSyntax, ListsAllowBlanksMixedItemsAndATrailingComma) {
    auto p = parse_text(domain_with("vcpus = 3\ncpus = [ \"0-1\" , 2, '3', ]"));
    ASSERT_TRUE(p.ok) << all_errors(*p);
    EXPECT_EQ(p->domains[0].affinity[0], CpuSet::first_n(2));
    EXPECT_EQ(p->domains[0].affinity[1], CpuSet::single(2));
    EXPECT_EQ(p->domains[0].affinity[2], CpuSet::single(3));
}

TEST(ConfigSyntax, LineNumbersCountEveryNewline) {
    auto p = parse_text("\n# c\n\n[domain]\n\nname = \"d\"\n\n\nbogus = 1\n");
    EXPECT_EQ(only_error(p), "line 9, key \"bogus\": unknown key");
    EXPECT_EQ(p->errors[0].line, 9u);
    EXPECT_STREQ(p->errors[0].key, "bogus");
}

} // namespace
} // namespace rthv::config::test

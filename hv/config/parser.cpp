// The driver: sections, error records and the public parse().
#include "hv/config/parser.hpp"

#include <new>

#include "hv/lib/format.hpp"

namespace rthv::config {
namespace detail {
namespace {

void copy_text(Text t, char* out, size_t size, bool brackets) {
    format(out, size, brackets ? "[%.*s]" : "%.*s", static_cast<int>(t.len), t.ptr);
}

} // namespace

void Parser::error(uint32_t line, const char* key, uint32_t domain, const char* fmt, ...) {
    if (domain < cfg_.domain_count) cfg_.domains[domain].rejected = true;
    if (cfg_.error_count == kMaxErrors) {
        ++cfg_.errors_dropped;
        return;
    }
    ConfigError& e = cfg_.errors[cfg_.error_count++];
    e.line = line;
    e.domain = domain;
    format(e.key, sizeof e.key, "%s", key);
    char message[sizeof e.text];
    FormatArgs args;
    __builtin_va_start(args, fmt);
    vformat(message, sizeof message, fmt, args);
    __builtin_va_end(args);
    if (line == 0)
        format(e.text, sizeof e.text, "config: %s", message);
    else if (key[0] == '\0')
        format(e.text, sizeof e.text, "line %u: %s", line, message);
    else if (key[0] == '[')
        format(e.text, sizeof e.text, "line %u, section %s: %s", line, key, message);
    else
        format(e.text, sizeof e.text, "line %u, key \"%s\": %s", line, key, message);
}

void Parser::run(const char* text, size_t len) {
    if (ncpus_ == 0 || ncpus_ > kMaxCpus) {
        error(0, "", kMaxDomains, "CPU count %u is outside 1-%u", ncpus_, kMaxCpus);
        return;
    }
    if (len > kMaxFileBytes) {
        error(0, "", kMaxDomains, "file is larger than %u bytes", kMaxFileBytes);
        return;
    }
    Lexer lexer(text, len);
    for (;;) {
        Lexer::Result r = lexer.next(st_);
        if (r == Lexer::Result::End) break;
        if (r == Lexer::Result::Statement) {
            statement(st_);
            continue;
        }
        char key[kMaxKeyLength + 1];
        copy_text(lexer.error_key(), key, sizeof key, lexer.error_in_header());
        if (lexer.error_in_header()) {
            // Whatever follows a broken header must not be charged to the section before it.
            close();
            open(SectionKind::Skipped, lexer.error_line());
        } else if (kind_ == SectionKind::None) {
            open(SectionKind::Domain, lexer.error_line());
        }
        if (kind_ == SectionKind::Pool) cfg_.pools[index_].rejected = true;
        // A key with a malformed value was still given: no "missing key" error on top.
        Key k = lexer.error_in_header() ? Key::Count : find_key(lexer.error_key());
        if (k != Key::Count && key_line_[static_cast<uint32_t>(k)] == 0)
            key_line_[static_cast<uint32_t>(k)] = lexer.error_line();
        error(lexer.error_line(), key, kind_ == SectionKind::Domain ? index_ : kMaxDomains, "%s",
              lexer.error());
    }
    close();
    resolve_pools();
}

void Parser::statement(const Statement& st) {
    if (st.kind == StatementKind::Assignment) {
        if (kind_ == SectionKind::None) open(SectionKind::Domain, st.line);
        if (kind_ != SectionKind::Skipped) assign(st);
        return;
    }
    close();
    char header[kMaxKeyLength + 1];
    copy_text(st.name, header, sizeof header, true);
    if (st.name.equals("domain") && cfg_.domain_count < kMaxDomains) {
        open(SectionKind::Domain, st.line);
    } else if (st.name.equals("pool") && cfg_.pool_count < kMaxPools) {
        open(SectionKind::Pool, st.line);
    } else {
        open(SectionKind::Skipped, st.line);
        if (st.name.equals("domain"))
            error(st.line, header, kMaxDomains, "more than %u domains", kMaxDomains);
        else if (st.name.equals("pool"))
            error(st.line, header, kMaxDomains, "more than %u pools (with Pool-0)", kMaxPools);
        else
            error(st.line, header, kMaxDomains, "unknown section (expected [domain] or [pool])");
    }
}

void Parser::open(SectionKind kind, uint32_t line) {
    if (kind == SectionKind::Domain && cfg_.domain_count == kMaxDomains)
        kind = SectionKind::Skipped;
    kind_ = kind;
    section_line_ = line;
    cpus_items_ = 0;
    for (uint32_t& l : key_line_) l = 0;
    if (kind == SectionKind::Domain) {
        index_ = cfg_.domain_count++;
        // Placement new: assignment from DomainSpec{} would put a 2 KiB temporary on the stack.
        DomainSpec& d = *new (&cfg_.domains[index_]) DomainSpec();
        d.line = line;
        for (CpuSet& a : d.affinity) a = CpuSet::first_n(ncpus_);
        new (&cfg_.plan_request) plan::Request();
    } else if (kind == SectionKind::Pool) {
        index_ = cfg_.pool_count++;
        new (&cfg_.pools[index_]) PoolSpec();
        cfg_.pools[index_].line = line;
    }
}

void Parser::close() {
    if (kind_ == SectionKind::Domain) finish_domain(cfg_.domains[index_]);
    if (kind_ == SectionKind::Pool) finish_pool(cfg_.pools[index_]);
    kind_ = SectionKind::None;
}

void Parser::assign(const Statement& st) {
    Key k = find_key(st.name);
    if (k == Key::Count) {
        key_error(st, "unknown key");
        return;
    }
    uint32_t& seen = key_line_[static_cast<uint32_t>(k)];
    if (seen != 0) {
        key_error(st, "duplicate key (first set on line %u)", seen);
        return;
    }
    seen = st.line;
    if (kind_ == SectionKind::Domain)
        domain_key(k, st, cfg_.domains[index_]);
    else
        pool_key(k, st, cfg_.pools[index_]);
}

} // namespace detail

bool parse(const char* text, size_t len, CpuId ncpus, Config& out) {
    out.ncpus = ncpus;
    out.pool_count = 1;
    out.pools[0] = PoolSpec{};
    format(out.pools[0].name, sizeof out.pools[0].name, "%s", kDefaultPoolName);
    out.pools[0].cpus = CpuSet::first_n(ncpus);
    out.domain_count = 0;
    out.error_count = 0;
    out.errors_dropped = 0;
    detail::Parser parser(out, ncpus);
    parser.run(text, len);
    return out.total_errors() == 0;
}

} // namespace rthv::config

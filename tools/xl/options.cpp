#include "tools/xl/options.hpp"

#include "tools/xl/error.hpp"

namespace rthv::xl {
namespace {

const OptionSpec* find_short(const std::vector<OptionSpec>& specs, char c) {
    for (const OptionSpec& s : specs)
        if (s.short_name == c) return &s;
    return nullptr;
}

const OptionSpec* find_long(const std::vector<OptionSpec>& specs, const std::string& name) {
    for (const OptionSpec& s : specs)
        if (name == s.long_name) return &s;
    return nullptr;
}

} // namespace

std::vector<ParsedOption> parse_options(const std::vector<std::string>& args,
                                        const std::vector<OptionSpec>& specs) {
    std::vector<ParsedOption> out;
    bool options_done = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (options_done || a.size() < 2 || a[0] != '-') {
            out.push_back({0, a, a});
            continue;
        }
        if (a == "--") {
            options_done = true;
            continue;
        }
        const OptionSpec* spec;
        std::string value;
        bool inline_value = false;
        if (a[1] == '-') {
            const size_t eq = a.find('=');
            spec = find_long(specs, a.substr(2, eq == std::string::npos ? eq : eq - 2));
            if (eq != std::string::npos) value = a.substr(eq + 1), inline_value = true;
        } else {
            spec = find_short(specs, a[1]);
            if (a.size() > 2) value = a.substr(2), inline_value = true;
        }
        const std::string spelled = a.substr(0, a.find('='));
        if (spec == nullptr) throw XlError("unknown option '" + spelled + "'");
        if (!spec->takes_value) {
            if (inline_value) throw XlError("option '" + spelled + "' takes no value");
            out.push_back({spec->short_name, "", spelled});
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= args.size()) throw XlError("option '" + spelled + "' needs a value");
            value = args[++i];
        }
        out.push_back({spec->short_name, value, spelled});
    }
    return out;
}

} // namespace rthv::xl

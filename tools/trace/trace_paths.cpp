#include "tools/trace/trace_paths.hpp"

namespace rthv::tracetool {
namespace {

// `name` less `suffix` when it ends with it and something comes before; else empty.
std::string stem_of(const std::string& name, const std::string& suffix) {
    if (name.size() <= suffix.size()) return {};
    if (name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) return {};
    const std::string stem = name.substr(0, name.size() - suffix.size());
    return stem.back() == '/' ? std::string{} : stem; // "dir/.json" names no file stem
}

} // namespace

TracePaths trace_paths(const std::string& named) {
    for (const char* suffix : {".perfetto.json", ".json"}) {
        const std::string stem = stem_of(named, suffix);
        if (!stem.empty()) return {stem + ".rthvt", named, stem + ".svg"};
    }
    const std::string svg_stem = stem_of(named, ".svg");
    if (!svg_stem.empty()) return {svg_stem + ".rthvt", svg_stem + ".perfetto.json", named};
    std::string stem = stem_of(named, ".rthvt");
    if (stem.empty()) stem = named;
    return {named, stem + ".perfetto.json", stem + ".svg"};
}

} // namespace rthv::tracetool

// rthv-plan: from a guest's task set to RTDS reservations (`./rthv plan`, hv/plan/SERVERS.md).
#include "tools/plan/output.hpp"

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

int main(int argc, char** argv) {
    using namespace rthv;
    plan_tool::Options o;
    std::string error;
    if (!plan_tool::parse_options(argc, argv, o, error)) {
        std::cerr << "rthv plan: " << error << "\n" << plan_tool::kUsage;
        return 2;
    }
    if (o.help) {
        std::cout << plan_tool::kUsage;
        return 0;
    }
    std::string text;
    if (o.taskset_path == "-") {
        text.assign(std::istreambuf_iterator<char>(std::cin), {});
    } else {
        std::ifstream in(o.taskset_path, std::ios::binary);
        if (!in) {
            std::cerr << "rthv plan: cannot read " << o.taskset_path << "\n";
            return 2;
        }
        std::ostringstream ss;
        ss << in.rdbuf();
        text = ss.str();
    }
    plan::TaskError err;
    if (!plan::parse_tasks(text.data(), text.size(), o.request.tasks, err)) {
        std::cerr << o.taskset_path << ": " << err.text << "\n";
        return 2;
    }
    static plan::Plan p; // 2 KiB of candidates and per-VCPU figures: keep it off the stack
    plan::make_plan(o.request, p);
    if (o.json)
        plan_tool::print_json(std::cout, o, p);
    else
        plan_tool::print_text(std::cout, o, p);
    return p.ok ? 0 : 1;
}

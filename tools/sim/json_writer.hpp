// A minimal streaming JSON writer (objects, arrays, strings, integers, fixed-point numbers).
// Enough for rtds-sim's reports; keeps commas and nesting right so callers cannot emit bad JSON.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace rthv::sim {

class JsonWriter {
public:
    explicit JsonWriter(std::ostream& out) : out_(out) {}

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(const std::string& k); // inside an object, before its value

    JsonWriter& value(const std::string& s);
    JsonWriter& value(const char* s) { return value(std::string(s)); }
    JsonWriter& value(uint64_t n);
    JsonWriter& value(int64_t n);
    JsonWriter& value(bool b);
    JsonWriter& null();
    // A decimal with `decimals` digits after the point, from an integer scaled by 10^decimals.
    JsonWriter& fixed(uint64_t scaled, unsigned decimals);

    static std::string escape(const std::string& s);

private:
    void before_value();
    void newline();
    JsonWriter& close(char bracket);

    std::ostream& out_;
    std::vector<bool> first_; // per open container: no element written yet
    bool after_key_ = false;
};

} // namespace rthv::sim

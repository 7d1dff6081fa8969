// Requests that change state. Each is decoded and checked completely - layout, domain, every
// entry - before the dispatcher is called, so a refused request changes nothing.
#include "hv/ctl/server.hpp"
#include "hv/ctl/text.hpp"

namespace rthv::ctl {
namespace {

inline constexpr size_t kSetEntryBytes = 13; // vcpu, period, budget (u32 each), extratime (u8)

Error entry_error(ErrorReply& err, uint32_t index, Error code) {
    err.index = index;
    return code;
}

} // namespace

Error Server::rtds_set(Reader& req, Writer& reply, ErrorReply& err) {
    DomainInfo dom;
    const uint32_t domid = req.u32();
    const uint8_t flags = req.u8();
    const uint16_t count = req.u16();
    if (!req.ok()) return Error::BadLength;
    Text t(err.message, sizeof err.message);
    if ((flags & ~kSetForce) != 0) {
        t.s("unknown flag bits 0x").u(flags & ~kSetForce);
        return Error::BadField;
    }
    if (count == 0 || count > kMaxSetEntries) {
        t.s("entry count ").u(count).s(" not in [1, ").u(kMaxSetEntries).s("]");
        return Error::BadField;
    }
    if (req.remaining() != count * kSetEntryBytes) {
        t.u(count)
            .s(" entries need ")
            .u(count * kSetEntryBytes)
            .s(" bytes, got ")
            .u(req.remaining());
        return Error::BadLength;
    }
    for (uint32_t i = 0; i < count; ++i) decode(req, entries_[i]);
    if (!req.done()) return Error::BadLength;
    if (!d_.find_domain(domid, dom) || dom.id != domid) {
        t.s("domain ").u(domid).s(" does not exist");
        return Error::NoSuchDomain;
    }
    const Error e = check_entries(dom, count, err);
    if (e != Error::Ok) return e;
    AdmissionReport report;
    const Error applied = d_.rtds_set(dom.id, entries_, count, (flags & kSetForce) != 0, report);
    err.admission = report;
    if (applied == Error::AdmissionRefused) {
        t.s("admission control: pool ")
            .u(report.pool)
            .s(" utilisation would rise from ")
            .ppm_percent(report.current_ppm)
            .s(" to ")
            .ppm_percent(report.requested_ppm)
            .s(", above its limit ")
            .ppm_percent(report.capacity_ppm)
            .s("; force to override");
    }
    if (applied != Error::Ok) return applied;
    encode(reply, report);
    return Error::Ok;
}

Error Server::check_entries(const DomainInfo& dom, uint32_t count, ErrorReply& err) {
    Text t(err.message, sizeof err.message);
    for (uint32_t i = 0; i < count; ++i) {
        const RtdsParams& p = entries_[i];
        if (p.vcpu >= dom.nr_vcpus) {
            t.s("VCPU ")
                .u(p.vcpu)
                .s(" out of range: domain ")
                .u(dom.id)
                .s(" has ")
                .u(dom.nr_vcpus)
                .s(" VCPUs");
            return entry_error(err, i, Error::NoSuchVcpu);
        }
        for (uint32_t k = 0; k < i; ++k) {
            if (entries_[k].vcpu == p.vcpu) {
                t.s("VCPU ").u(p.vcpu).s(" given twice");
                return entry_error(err, i, Error::DuplicateVcpu);
            }
        }
        if (p.period_us < kMinPeriodUs || p.period_us > kMaxPeriodUs) {
            t.s("period ")
                .u(p.period_us)
                .s(" us not in [")
                .u(kMinPeriodUs)
                .s(", ")
                .u(kMaxPeriodUs)
                .s("] us");
            return entry_error(err, i, Error::BadPeriod);
        }
        if (p.budget_us < kMinBudgetUs || p.budget_us > kMaxPeriodUs) {
            t.s("budget ")
                .u(p.budget_us)
                .s(" us not in [")
                .u(kMinBudgetUs)
                .s(", ")
                .u(kMaxPeriodUs)
                .s("] us");
            return entry_error(err, i, Error::BadBudget);
        }
        if (p.budget_us > p.period_us) {
            t.s("budget ").u(p.budget_us).s(" us greater than period ").u(p.period_us).s(" us");
            return entry_error(err, i, Error::BudgetOverPeriod);
        }
        if (p.extratime > 1) {
            t.s("extratime ").u(p.extratime).s(" must be 0 or 1");
            return entry_error(err, i, Error::BadExtratime);
        }
    }
    return Error::Ok;
}

Error Server::pause(bool pause, Reader& req, ErrorReply& err) {
    DomainInfo dom;
    const Error found = lookup(req, dom, err);
    if (found != Error::Ok) return found;
    if (!req.done()) return Error::BadLength;
    const Error e = pause ? d_.pause(dom.id) : d_.unpause(dom.id);
    if (e == Error::BadState) {
        Text(err.message, sizeof err.message)
            .s("domain ")
            .u(dom.id)
            .s(pause ? " is already paused" : " is not paused");
    }
    return e;
}

Error Server::debug_keys(Reader& req, ErrorReply& err) {
    const uint8_t count = req.u8();
    if (!req.ok()) return Error::BadLength;
    Text t(err.message, sizeof err.message);
    if (count == 0 || count > kMaxDebugKeys) {
        t.s("key count ").u(count).s(" not in [1, ").u(kMaxDebugKeys).s("]");
        return Error::BadField;
    }
    const uint8_t* keys = req.take(count);
    if (keys == nullptr || !req.done()) return Error::BadLength;
    for (uint32_t i = 0; i < count; ++i) {
        const char key = static_cast<char>(keys[i]);
        if (keys[i] < 0x21 || keys[i] > 0x7E || !d_.has_debug_key(key)) {
            t.s("debug key ");
            if (keys[i] >= 0x21 && keys[i] <= 0x7E)
                t.ch('\'').ch(key).ch('\'');
            else
                t.s("byte ").u(keys[i]);
            t.s(" not supported");
            return entry_error(err, i, Error::BadKey);
        }
    }
    for (uint32_t i = 0; i < count; ++i) d_.debug_key(static_cast<char>(keys[i]));
    return Error::Ok;
}

Error Server::end_run(Reader& req, ErrorReply& err) {
    if (!req.done()) return Error::BadLength;
    const Error e = d_.end_run();
    if (e == Error::BadState) Text(err.message, sizeof err.message).s("the run is already ending");
    return e;
}

} // namespace rthv::ctl

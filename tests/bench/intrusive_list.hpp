// A circular doubly-linked intrusive list with a sentinel head, the shape of Xen's list_head.
// The baseline uses it exactly as xen/common/sched/rt.c does (sorted insertion by walking from
// the head), so the benchmark measures the cost of that shape, not of a worse or better list.
#pragma once

#include <stddef.h>

namespace rthv::bench {

template <typename T>
struct ListLink {
    explicit ListLink(T* o) : owner(o) {}
    ListLink(const ListLink&) = delete;
    ListLink& operator=(const ListLink&) = delete;

    bool linked() const { return next != this; }
    void unlink() {
        prev->next = next;
        next->prev = prev;
        prev = this;
        next = this;
    }
    // Link this node right before `pos`; before the sentinel means "at the tail".
    void link_before(ListLink& pos) {
        prev = pos.prev;
        next = &pos;
        pos.prev->next = this;
        pos.prev = this;
    }

    ListLink* prev = this;
    ListLink* next = this;
    T* owner;
};

template <typename T>
class IntrusiveList {
public:
    using Link = ListLink<T>;

    bool empty() const { return !head_.linked(); }
    T* front() const { return empty() ? nullptr : head_.next->owner; }
    Link* first() { return head_.next; }
    Link* end() { return &head_; }

    void push_front(Link& l) { l.link_before(*head_.next); }
    void push_back(Link& l) { l.link_before(head_); }

    // O(n) ordered insertion as in Xen's deadline_queue_insert(): walk from the head to the first
    // element that `node` strictly precedes, so equal keys stay FIFO. Returns the number of
    // elements walked past (0 = became the new front).
    template <typename Precedes>
    size_t insert_sorted(Link& node, Precedes precedes) {
        size_t walked = 0;
        Link* it = head_.next;
        while (it != &head_ && !precedes(*node.owner, *it->owner)) {
            it = it->next;
            ++walked;
        }
        node.link_before(*it);
        return walked;
    }

    size_t size() const {
        size_t n = 0;
        for (const Link* it = head_.next; it != &head_; it = it->next) ++n;
        return n;
    }

private:
    Link head_{nullptr};
};

} // namespace rthv::bench

// Intrusive min pairing heap: the ordered structure behind the timer queues and the RTDS runq.
//
// Why a pairing heap: it needs no storage beyond three pointers inside each element (no heap
// allocation, no capacity to size in advance), inserts in O(1), and pops/erases in amortised
// O(log n). An element may sit in several heaps at once by deriving from HeapLink<Tag> once per
// heap, each with its own Tag type.
#pragma once

#include <stddef.h>

namespace rthv {

template <typename Tag>
class HeapLink {
public:
    // True while the element is in some heap that uses this Tag.
    bool linked() const { return in_heap_; }

private:
    template <typename T, typename TagT, typename Less>
    friend class PairingHeap;
    HeapLink* child_ = nullptr;
    HeapLink* next_ = nullptr; // next sibling
    HeapLink* prev_ = nullptr; // previous sibling, or the parent for a first child
    bool in_heap_ = false;
};

// T derives publicly from HeapLink<Tag>. Less(a, b) is a strict total order on T ("a before b").
template <typename T, typename Tag, typename Less>
class PairingHeap {
    using Link = HeapLink<Tag>;

public:
    bool empty() const { return root_ == nullptr; }
    size_t size() const { return size_; }
    T* top() const { return root_ ? as_t(root_) : nullptr; }

    void push(T& item) {
        Link* x = &item;
        x->child_ = x->next_ = x->prev_ = nullptr;
        x->in_heap_ = true;
        root_ = root_ ? meld(root_, x) : x;
        ++size_;
    }

    T* pop() {
        if (!root_) return nullptr;
        Link* r = root_;
        root_ = merge_pairs(r->child_);
        unlink_clean(r);
        return as_t(r);
    }

    // Removes `item`, which must be in this heap.
    void erase(T& item) {
        Link* x = &item;
        if (x == root_) {
            pop();
            return;
        }
        // Detach x (with its subtree) from its sibling list.
        if (x->prev_->child_ == x)
            x->prev_->child_ = x->next_;
        else
            x->prev_->next_ = x->next_;
        if (x->next_) x->next_->prev_ = x->prev_;
        Link* sub = merge_pairs(x->child_);
        if (sub) root_ = meld(root_, sub);
        unlink_clean(x);
    }

private:
    static T* as_t(Link* l) { return static_cast<T*>(l); }
    bool before(Link* a, Link* b) const { return Less{}(*as_t(a), *as_t(b)); }

    void unlink_clean(Link* x) {
        x->child_ = x->next_ = x->prev_ = nullptr;
        x->in_heap_ = false;
        --size_;
    }

    // Both a and b are roots (no siblings, no parent). Returns the new root.
    Link* meld(Link* a, Link* b) const {
        if (before(b, a)) {
            Link* t = a;
            a = b;
            b = t;
        }
        b->prev_ = a;
        b->next_ = a->child_;
        if (a->child_) a->child_->prev_ = b;
        a->child_ = b;
        a->next_ = a->prev_ = nullptr;
        return a;
    }

    // Standard two-pass pairing of a sibling list; returns the new root (or nullptr).
    Link* merge_pairs(Link* first) const {
        Link* stack = nullptr; // melded pairs, most recent first
        while (first) {
            Link* a = first;
            Link* b = a->next_;
            first = b ? b->next_ : nullptr;
            a->next_ = a->prev_ = nullptr;
            Link* m = a;
            if (b) {
                b->next_ = b->prev_ = nullptr;
                m = meld(a, b);
            }
            m->next_ = stack;
            stack = m;
        }
        Link* result = stack;
        if (!result) return nullptr;
        stack = stack->next_;
        result->next_ = nullptr;
        while (stack) {
            Link* n = stack->next_;
            stack->next_ = nullptr;
            result = meld(result, stack);
            stack = n;
        }
        result->prev_ = nullptr;
        return result;
    }

    Link* root_ = nullptr;
    size_t size_ = 0;
};

} // namespace rthv

// Intrusive doubly-linked list (depletedq, pool membership). O(1) insert and erase, no storage
// outside the elements. An element may be on several lists by deriving from ListLink<Tag> once
// per list, each with its own Tag.
#pragma once

#include <stddef.h>

namespace rthv {

template <typename Tag>
class ListLink {
public:
    bool linked() const { return linked_; }

private:
    template <typename T, typename TagT>
    friend class IntrusiveList;
    ListLink* prev_ = nullptr;
    ListLink* next_ = nullptr;
    bool linked_ = false;
};

template <typename T, typename Tag>
class IntrusiveList {
    using Link = ListLink<Tag>;

public:
    bool empty() const { return head_ == nullptr; }
    size_t size() const { return size_; }
    T* front() const { return head_ ? static_cast<T*>(head_) : nullptr; }
    static T* next(const T& item) {
        const Link* l = &item;
        return l->next_ ? static_cast<T*>(l->next_) : nullptr;
    }

    void push_back(T& item) {
        Link* x = &item;
        x->next_ = nullptr;
        x->prev_ = tail_;
        if (tail_)
            tail_->next_ = x;
        else
            head_ = x;
        tail_ = x;
        x->linked_ = true;
        ++size_;
    }

    void erase(T& item) {
        Link* x = &item;
        if (x->prev_)
            x->prev_->next_ = x->next_;
        else
            head_ = x->next_;
        if (x->next_)
            x->next_->prev_ = x->prev_;
        else
            tail_ = x->prev_;
        x->prev_ = x->next_ = nullptr;
        x->linked_ = false;
        --size_;
    }

private:
    Link* head_ = nullptr;
    Link* tail_ = nullptr;
    size_t size_ = 0;
};

} // namespace rthv

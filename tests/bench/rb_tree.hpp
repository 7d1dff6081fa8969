// An intrusive red-black tree with a cached leftmost node, the structure Linux uses for
// SCHED_DEADLINE's runqueue (rb_root_cached in kernel/sched/deadline.c) and for hrtimer queues
// (timerqueue). Insert and erase are O(log n) with the classic rebalancing (CLRS ch. 13);
// first() is O(1). Written for the SCHED_DEADLINE-style benchmark baseline (dl_baseline.hpp).
#pragma once

#include <cstddef>

namespace rthv::bench {

struct RbNode {
    RbNode* parent = nullptr;
    RbNode* left = nullptr;
    RbNode* right = nullptr;
    bool red = false;
    bool linked = false;
};

// Less(a, b) orders the nodes (a strict weak order; equal keys are not expected).
template <typename Less>
class RbTree {
public:
    explicit RbTree(Less less = Less()) : less_(less) {}

    RbNode* first() const { return leftmost_; }
    bool empty() const { return root_ == nullptr; }
    size_t size() const { return size_; }

    void insert(RbNode* n) {
        RbNode* parent = nullptr;
        RbNode** link = &root_;
        bool leftmost = true;
        while (*link) {
            parent = *link;
            if (less_(n, parent)) {
                link = &parent->left;
            } else {
                link = &parent->right;
                leftmost = false;
            }
        }
        n->parent = parent;
        n->left = n->right = nullptr;
        n->red = true;
        n->linked = true;
        *link = n;
        if (leftmost) leftmost_ = n;
        ++size_;
        insert_fixup(n);
    }

    void erase(RbNode* z) {
        if (z == leftmost_) leftmost_ = next(z);
        RbNode* y = z;
        bool y_red = y->red;
        RbNode* x = nullptr;
        RbNode* x_parent = nullptr;
        if (!z->left) {
            x = z->right;
            x_parent = z->parent;
            transplant(z, z->right);
        } else if (!z->right) {
            x = z->left;
            x_parent = z->parent;
            transplant(z, z->left);
        } else {
            y = z->right;
            while (y->left) y = y->left;
            y_red = y->red;
            x = y->right;
            if (y->parent == z) {
                x_parent = y;
            } else {
                x_parent = y->parent;
                transplant(y, y->right);
                y->right = z->right;
                y->right->parent = y;
            }
            transplant(z, y);
            y->left = z->left;
            y->left->parent = y;
            y->red = z->red;
        }
        if (!y_red) erase_fixup(x, x_parent);
        z->parent = z->left = z->right = nullptr;
        z->linked = false;
        --size_;
    }

    static RbNode* next(RbNode* n) {
        if (n->right) {
            n = n->right;
            while (n->left) n = n->left;
            return n;
        }
        RbNode* p = n->parent;
        while (p && n == p->right) {
            n = p;
            p = p->parent;
        }
        return p;
    }

    // Red-black properties, parent links, order and the leftmost cache; for tests.
    bool valid() const {
        int black = -1;
        size_t count = 0;
        if (root_ && (root_->red || root_->parent)) return false;
        if (!check(root_, 0, black, count) || count != size_) return false;
        RbNode* m = root_;
        while (m && m->left) m = m->left;
        return m == leftmost_;
    }

private:
    static bool is_red(const RbNode* n) { return n && n->red; }

    bool check(const RbNode* n, int blacks, int& black, size_t& count) const {
        if (!n) {
            if (black < 0) black = blacks;
            return black == blacks;
        }
        ++count;
        if (n->red && (is_red(n->left) || is_red(n->right))) return false;
        if (n->left && (n->left->parent != n || less_(n, n->left))) return false;
        if (n->right && (n->right->parent != n || less_(n->right, n))) return false;
        int b = blacks + (n->red ? 0 : 1);
        return check(n->left, b, black, count) && check(n->right, b, black, count);
    }

    void rotate_left(RbNode* x) {
        RbNode* y = x->right;
        x->right = y->left;
        if (y->left) y->left->parent = x;
        y->parent = x->parent;
        replace_child(x, y);
        y->left = x;
        x->parent = y;
    }
    void rotate_right(RbNode* x) {
        RbNode* y = x->left;
        x->left = y->right;
        if (y->right) y->right->parent = x;
        y->parent = x->parent;
        replace_child(x, y);
        y->right = x;
        x->parent = y;
    }
    // In x's parent (or the root), make y the child that x was.
    void replace_child(RbNode* x, RbNode* y) {
        if (!x->parent)
            root_ = y;
        else if (x == x->parent->left)
            x->parent->left = y;
        else
            x->parent->right = y;
    }
    void transplant(RbNode* u, RbNode* v) {
        replace_child(u, v);
        if (v) v->parent = u->parent;
    }

    void insert_fixup(RbNode* z) {
        while (is_red(z->parent)) {
            RbNode* p = z->parent;
            RbNode* g = p->parent;
            if (p == g->left) {
                RbNode* u = g->right;
                if (is_red(u)) {
                    p->red = u->red = false;
                    g->red = true;
                    z = g;
                    continue;
                }
                if (z == p->right) {
                    z = p;
                    rotate_left(z);
                    p = z->parent;
                }
                p->red = false;
                g->red = true;
                rotate_right(g);
            } else {
                RbNode* u = g->left;
                if (is_red(u)) {
                    p->red = u->red = false;
                    g->red = true;
                    z = g;
                    continue;
                }
                if (z == p->left) {
                    z = p;
                    rotate_right(z);
                    p = z->parent;
                }
                p->red = false;
                g->red = true;
                rotate_left(g);
            }
        }
        root_->red = false;
    }

    void erase_fixup(RbNode* x, RbNode* parent) {
        while (x != root_ && !is_red(x)) {
            if (x == parent->left) {
                RbNode* w = parent->right;
                if (is_red(w)) {
                    w->red = false;
                    parent->red = true;
                    rotate_left(parent);
                    w = parent->right;
                }
                if (!is_red(w->left) && !is_red(w->right)) {
                    w->red = true;
                    x = parent;
                    parent = x->parent;
                    continue;
                }
                if (!is_red(w->right)) {
                    w->left->red = false;
                    w->red = true;
                    rotate_right(w);
                    w = parent->right;
                }
                w->red = parent->red;
                parent->red = false;
                w->right->red = false;
                rotate_left(parent);
                x = root_;
            } else {
                RbNode* w = parent->left;
                if (is_red(w)) {
                    w->red = false;
                    parent->red = true;
                    rotate_right(parent);
                    w = parent->left;
                }
                if (!is_red(w->left) && !is_red(w->right)) {
                    w->red = true;
                    x = parent;
                    parent = x->parent;
                    continue;
                }
                if (!is_red(w->left)) {
                    w->right->red = false;
                    w->red = true;
                    rotate_left(w);
                    w = parent->left;
                }
                w->red = parent->red;
                parent->red = false;
                w->left->red = false;
                rotate_right(parent);
                x = root_;
            }
        }
        if (x) x->red = false;
    }

    Less less_;
    RbNode* root_ = nullptr;
    RbNode* leftmost_ = nullptr;
    size_t size_ = 0;
};

} // namespace rthv::bench

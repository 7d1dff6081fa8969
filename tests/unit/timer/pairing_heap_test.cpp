// The intrusive pairing heap against std::multiset under random push/pop/erase.
#include "hv/lib/pairing_heap.hpp"

#include <gtest/gtest.h>
#include <random>
#include <set>
#include <vector>

namespace rthv {
namespace {

struct Tag {};
struct Item : HeapLink<Tag> {
    unsigned key = 0;
    unsigned id = 0;
};
struct ItemBefore {
    bool operator()(const Item& a, const Item& b) const {
        return a.key != b.key ? a.key < b.key : a.id < b.id;
    }
};

TEST(PairingHeap, MatchesASortedReferenceUnderRandomOperations) {
    std::vector<Item> items(512);
    for (unsigned i = 0; i < items.size(); ++i) items[i].id = i;
    PairingHeap<Item, Tag, ItemBefore> heap;
    std::set<std::pair<unsigned, unsigned>> ref;
    std::minstd_rand rng(42);
    for (int step = 0; step < 200000; ++step) {
        Item& it = items[rng() % items.size()];
        unsigned op = static_cast<unsigned>(rng() % 3);
        if (!it.linked()) {
            it.key = static_cast<unsigned>(rng() % 1000);
            heap.push(it);
            ref.insert({it.key, it.id});
        } else if (op == 0) {
            heap.erase(it);
            ref.erase({it.key, it.id});
        } else if (op == 1 && !heap.empty()) {
            Item* top = heap.pop();
            ASSERT_EQ(std::make_pair(top->key, top->id), *ref.begin());
            ref.erase(ref.begin());
            ASSERT_FALSE(top->linked());
        }
        ASSERT_EQ(heap.size(), ref.size());
        if (!ref.empty()) {
            ASSERT_EQ(heap.top()->id, ref.begin()->second);
        }
    }
    while (!heap.empty()) {
        ASSERT_EQ(heap.pop()->id, ref.begin()->second);
        ref.erase(ref.begin());
    }
}

TEST(PairingHeap, EmptyHeapBehaves) {
    PairingHeap<Item, Tag, ItemBefore> heap;
    EXPECT_TRUE(heap.empty());
    EXPECT_EQ(heap.top(), nullptr);
    EXPECT_EQ(heap.pop(), nullptr);
    Item one;
    heap.push(one);
    heap.erase(one);
    EXPECT_TRUE(heap.empty());
    EXPECT_FALSE(one.linked());
}

} // namespace
} // namespace rthv

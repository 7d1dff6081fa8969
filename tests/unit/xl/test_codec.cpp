// CRC-32, COBS, frame encoding and the stream splitter.
#include "frame_io.hpp"

#include <gtest/gtest.h>
#include <random>

namespace rthv::test {
namespace {

using namespace rthv::ctl;

TEST(CtlCodec, Crc32CheckValue) {
    const uint8_t check[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
    EXPECT_EQ(crc32(check, sizeof check), 0xCBF43926u); // the standard CRC-32 check value
    EXPECT_EQ(crc32(nullptr, 0), 0u);
}

TEST(CtlCodec, CobsRoundTripsAndNeverEmitsZero) {
    std::mt19937 rng(7);
    for (size_t n : {0u, 1u, 253u, 254u, 255u, 508u, 1000u, 2062u}) {
        for (int zeros : {0, 1, 2}) {
            std::vector<uint8_t> in(n);
            for (auto& b : in)
                b = static_cast<uint8_t>(zeros == 0 ? 1 + rng() % 255 : zeros == 1 ? rng() : 0);
            std::vector<uint8_t> enc(cobs_max_encoded(n));
            const size_t e = cobs_encode(in.data(), n, enc.data(), enc.size());
            ASSERT_GT(e, 0u);
            for (size_t i = 0; i < e; ++i) ASSERT_NE(enc[i], 0) << n;
            std::vector<uint8_t> dec(n + 1);
            size_t d = 0;
            ASSERT_TRUE(cobs_decode(enc.data(), e, dec.data(), dec.size(), d));
            dec.resize(d);
            EXPECT_EQ(dec, in) << "n=" << n << " zeros=" << zeros;
        }
    }
}

TEST(CtlCodec, CobsRejectsMalformedInput) {
    uint8_t out[16];
    size_t n = 0;
    const uint8_t zero_inside[] = {3, 1, 0};
    EXPECT_FALSE(cobs_decode(zero_inside, 3, out, sizeof out, n));
    const uint8_t runs_past_end[] = {5, 1, 2};
    EXPECT_FALSE(cobs_decode(runs_past_end, 3, out, sizeof out, n));
    const uint8_t too_big[] = {4, 1, 2, 3};
    EXPECT_FALSE(cobs_decode(too_big, 4, out, 2, n));
    uint8_t small[2];
    EXPECT_EQ(cobs_encode(out, 16, small, sizeof small), 0u);
}

TEST(CtlCodec, FrameRoundTripAndChecks) {
    const std::vector<uint8_t> payload = {1, 0, 2, 0, 0, 3};
    const std::vector<uint8_t> wire = frame(0x05, 0xA1B2C3D4, payload);
    ASSERT_GE(wire.size(), 2u);
    EXPECT_EQ(wire.front(), 0);
    EXPECT_EQ(wire.back(), 0);
    std::vector<DecodedReply> got;
    ASSERT_TRUE(decode_replies(wire, got));
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].header.type, 0x05);
    EXPECT_EQ(got[0].header.seq, 0xA1B2C3D4u);
    EXPECT_EQ(got[0].payload, payload);

    FrameView v;
    std::vector<uint8_t> raw = raw_frame(kVersion, 1, 9, 2, {7, 7});
    EXPECT_EQ(parse_frame(raw.data(), raw.size(), v), FrameStatus::Ok);
    raw = raw_frame(kVersion, 1, 9, 3, {7, 7});
    EXPECT_EQ(parse_frame(raw.data(), raw.size(), v), FrameStatus::BadLength);
    raw = raw_frame(2, 1, 9, 2, {7, 7});
    EXPECT_EQ(parse_frame(raw.data(), raw.size(), v), FrameStatus::BadVersion);
    raw = raw_frame(kVersion, 1, 9, 2, {7, 7}, false);
    EXPECT_EQ(parse_frame(raw.data(), raw.size(), v), FrameStatus::BadChecksum);
    EXPECT_EQ(v.header.seq, 9u);
    raw[0] = 'X';
    EXPECT_EQ(parse_frame(raw.data(), raw.size(), v), FrameStatus::NotAFrame);
    EXPECT_EQ(parse_frame(raw.data(), 5, v), FrameStatus::NotAFrame);

    std::vector<uint8_t> big(kMaxPayload + 1);
    uint8_t out[kMaxEncoded + 16];
    EXPECT_EQ(encode_frame(1, 1, big.data(), big.size(), out, sizeof out), 0u);
    EXPECT_GT(encode_frame(1, 1, big.data(), kMaxPayload, out, sizeof out), 0u);
}

TEST(CtlCodec, SplitterDiscardsOversizedChunksAndResyncs) {
    FrameSplitter s;
    for (size_t i = 0; i < kMaxEncoded + 10; ++i) EXPECT_FALSE(s.push(0x55));
    EXPECT_FALSE(s.push(0)); // end of the oversized chunk: dropped
    EXPECT_EQ(s.oversized(), 1u);
    EXPECT_FALSE(s.push(0)); // empty chunks are not chunks
    EXPECT_FALSE(s.push(0x11));
    EXPECT_TRUE(s.push(0));
    ASSERT_EQ(s.chunk_length(), 1u);
    EXPECT_EQ(s.chunk()[0], 0x11);
    EXPECT_FALSE(s.push(0x22));
    s.reset();
    EXPECT_FALSE(s.push(0)); // the partial chunk was forgotten
}

} // namespace
} // namespace rthv::test

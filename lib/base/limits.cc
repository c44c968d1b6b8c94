#include "base/limits.hh"

namespace carom {

// Why these defaults: real bounces are small (the Sisimai corpus averages 4.3 KB; the largest
// returned originals with attachments reach a few MB), so 64 MiB accepts every real bounce and
// still bounds a hostile one. Header lines beyond 1 MiB exist only in attacks. MIME depth 32 is
// far above the deepest forwarded report seen (about 5) and keeps recursion shallow. The rule
// memory budget is RE2's max_mem for each compiled set.
const std::array<LimitSpec, kLimitCount> kLimits = {{
    {CAROM_LIMIT_MESSAGE_BYTES, "message_bytes", 1, 1ull << 32, 64ull << 20,
     "largest message accepted, in bytes"},
    {CAROM_LIMIT_HEADER_LINE_BYTES, "header_line_bytes", 78, 64ull << 20, 1ull << 20,
     "longest unfolded header field, in bytes"},
    {CAROM_LIMIT_HEADER_BYTES, "header_bytes", 1024, 256ull << 20, 8ull << 20,
     "largest header block of one MIME entity, in bytes"},
    {CAROM_LIMIT_MIME_DEPTH, "mime_depth", 1, 256, 32,
     "deepest nesting of multiparts and attached messages"},
    {CAROM_LIMIT_MIME_PARTS, "mime_parts", 1, 1000000, 10000,
     "most MIME entities in one message"},
    {CAROM_LIMIT_RECIPIENTS, "recipients", 1, 1000000, 10000,
     "most records (recipients) in one result"},
    {CAROM_LIMIT_DIAGNOSTIC_BYTES, "diagnostic_bytes", 64, 16ull << 20, 64ull << 10,
     "longest diagnostic text kept per record, in bytes"},
    {CAROM_LIMIT_RULE_MEMORY, "rule_memory", 1ull << 20, 4ull << 30, 64ull << 20,
     "memory budget of each compiled rule set (RE2 max_mem), in bytes"},
    {CAROM_LIMIT_TEXT_BYTES, "text_bytes", 1024, 1ull << 32, 1ull << 20,
     "most decoded text of one part that format readers scan, in bytes"},
}};

Limits::Limits() {
    for (const auto &spec : kLimits) v[static_cast<std::size_t>(spec.id)] = spec.def;
}

const LimitSpec *find_limit(carom_limit_t id) {
    for (const auto &spec : kLimits)
        if (spec.id == id) return &spec;
    return nullptr;
}

}  // namespace carom

// Backscatter context (docs/backscatter.md): what the caller tells carom about its own mail.
// Every part is optional; an empty context leaves only the content signals (challenge-response,
// antivirus notices, auto-replies to forged-looking originals).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "carom.h"

namespace re2 {
class RE2;
}

namespace carom {

struct Context {
    std::vector<std::string> domains;             // our sending domains, lower case
    // Our outbound relays: host names (lower case; a leading '.' matches any host below that
    // domain) and IP addresses, as they appear in Received headers.
    std::vector<std::string> relays;
    std::vector<std::string> message_id_domains;  // domains of our Message-IDs (and their subdomains)
    // Patterns (RE2, whole-match, case-sensitive unless (?i)) for our Message-IDs without angle
    // brackets; compiled once when the context is parsed, immutable afterwards.
    std::vector<std::string> message_id_pattern_texts;
    std::vector<std::shared_ptr<const re2::RE2>> message_id_patterns;
    std::map<int, std::string> batv_keys;         // key number 0-9 → secret
    int batv_max_age_days = 7;                    // a tag is valid from expiry - max_age to expiry
    std::string verp_template;                    // e.g. "bounces+{recipient}@example.com"
    std::string verp_hmac_key;                    // required when the template has {sig}
    carom_sent_callback_t sent_callback = nullptr;
    void *sent_user_data = nullptr;
    bool empty() const {
        return domains.empty() && relays.empty() && message_id_domains.empty() && message_id_patterns.empty() &&
               batv_keys.empty() && verp_template.empty() && sent_callback == nullptr;
    }
};

// Parses the context JSON (schema in docs/backscatter.md) into `out`, keeping out's callback.
// Returns false with a message naming the offending key on error; `out` is then unchanged.
bool parse_context_json(const std::string &json, Context &out, std::string &error);

}  // namespace carom

// Backscatter context (docs/backscatter.md): what the caller tells carom about its own mail.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "carom.h"

namespace carom {

struct Context {
    std::vector<std::string> domains;             // our sending domains, lower case
    std::vector<std::string> relays;              // our outbound relay host names and IPs
    std::vector<std::string> message_id_domains;  // domains of our Message-IDs
    std::map<int, std::string> batv_keys;         // key number 0-9 → secret
    int batv_max_age_days = 7;
    std::string verp_template;                    // e.g. "bounces+{recipient}@example.com"
    std::string verp_hmac_key;
    carom_sent_callback_t sent_callback = nullptr;
    void *sent_user_data = nullptr;
    bool empty() const {
        return domains.empty() && relays.empty() && message_id_domains.empty() && batv_keys.empty() &&
               verp_template.empty() && sent_callback == nullptr;
    }
};

// Parses the context JSON (schema in docs/backscatter.md). Returns false with a message on error.
bool parse_context_json(const std::string &json, Context &out, std::string &error);

}  // namespace carom

#include "classify/context.hh"

#include <cctype>

#include <nlohmann/json.hpp>

namespace carom {
namespace {

std::string lower(std::string s) {
    for (char &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool string_list(const nlohmann::json &j, const char *key, std::vector<std::string> &out, std::string &error) {
    auto it = j.find(key);
    if (it == j.end()) return true;
    if (!it->is_array()) return error = std::string("\"") + key + "\" must be an array of strings", false;
    for (const auto &v : *it) {
        if (!v.is_string() || v.get_ref<const std::string &>().empty())
            return error = std::string("\"") + key + "\" must hold non-empty strings", false;
        out.push_back(lower(v.get<std::string>()));
    }
    return true;
}

}  // namespace

bool parse_context_json(const std::string &text, Context &out, std::string &error) {
    // The non-throwing parse: a syntax error gives a discarded value, never an exception.
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return error = "context: not valid JSON", false;
    if (!j.is_object()) return error = "context: the top level must be an object", false;
    static const char *const known[] = {"domains", "relays", "message_id_domains", "batv", "verp"};
    for (auto it = j.begin(); it != j.end(); ++it) {
        bool ok = false;
        for (const char *k : known) ok = ok || it.key() == k;
        if (!ok) return error = "context: unknown key \"" + it.key() + "\"", false;
    }
    Context c;
    if (!string_list(j, "domains", c.domains, error) || !string_list(j, "relays", c.relays, error) ||
        !string_list(j, "message_id_domains", c.message_id_domains, error))
        return error = "context: " + error, false;
    if (auto b = j.find("batv"); b != j.end()) {
        if (!b->is_object()) return error = "context: \"batv\" must be an object", false;
        if (auto k = b->find("keys"); k != b->end()) {
            if (!k->is_object()) return error = "context: \"batv.keys\" must be an object", false;
            for (auto it = k->begin(); it != k->end(); ++it) {
                const std::string &id = it.key();
                if (id.size() != 1 || id[0] < '0' || id[0] > '9')
                    return error = "context: BATV key numbers are single digits 0-9, not \"" + id + "\"", false;
                if (!it->is_string() || it->get_ref<const std::string &>().empty())
                    return error = "context: BATV key " + id + " must be a non-empty string", false;
                c.batv_keys[id[0] - '0'] = it->get<std::string>();
            }
        }
        if (auto a = b->find("max_age_days"); a != b->end()) {
            if (!a->is_number_integer() || a->get<long long>() < 1 || a->get<long long>() > 999)
                return error = "context: \"batv.max_age_days\" must be an integer from 1 to 999", false;
            c.batv_max_age_days = static_cast<int>(a->get<long long>());
        }
    }
    if (auto v = j.find("verp"); v != j.end()) {
        if (!v->is_object()) return error = "context: \"verp\" must be an object", false;
        if (auto t = v->find("template"); t != v->end()) {
            if (!t->is_string() || t->get_ref<const std::string &>().find("{recipient}") == std::string::npos)
                return error = "context: \"verp.template\" must be a string containing {recipient}", false;
            c.verp_template = t->get<std::string>();
        }
        if (auto h = v->find("hmac_key"); h != v->end()) {
            if (!h->is_string()) return error = "context: \"verp.hmac_key\" must be a string", false;
            c.verp_hmac_key = h->get<std::string>();
        }
    }
    c.sent_callback = out.sent_callback;
    c.sent_user_data = out.sent_user_data;
    out = std::move(c);
    return true;
}

}  // namespace carom

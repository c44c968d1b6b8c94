// Parsing of the backscatter context JSON (docs/backscatter.md, "Context").
//
// Every error names the key and says what was expected, e.g.
//   context: "batv.keys": key numbers are single digits 0-9, not "12"
// Unknown keys are errors (a misspelt "relay" must not silently switch a signal off).
#include "classify/context.hh"

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "base/json_release.hh"
#include "base/strings.hh"

namespace carom {
namespace {

using json = nlohmann::json;

bool fail(std::string &error, const std::string &message) {
    error = "context: " + message;
    return false;
}

// Keys of `j` must all be in `known`.
bool only_keys(const json &j, std::initializer_list<const char *> known, const char *where, std::string &error) {
    for (auto it = j.begin(); it != j.end(); ++it) {
        bool ok = false;
        for (const char *k : known) ok = ok || it.key() == k;
        if (ok) continue;
        std::string list;
        for (const char *k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        return fail(error, std::string("unknown key \"") + where + it.key() + "\" (known: " + list + ")");
    }
    return true;
}

// A host or domain name, or an IP address: letters, digits, '-', '.', ':', '_' only.
bool host_like(const std::string &s) {
    if (s.empty() || s.size() > 255) return false;
    for (char c : s)
        if (!(is_alnum(c) || c == '-' || c == '.' || c == ':' || c == '_'))
            return false;
    return true;
}

bool string_list(const json &j, const char *key, bool hosts, std::vector<std::string> &out, std::string &error) {
    auto it = j.find(key);
    if (it == j.end()) return true;
    if (!it->is_array()) return fail(error, std::string("\"") + key + "\" must be an array of strings");
    std::size_t i = 0;
    for (const auto &v : *it) {
        if (!v.is_string() || v.get_ref<const std::string &>().empty())
            return fail(error, std::string("\"") + key + "\"[" + std::to_string(i) + "] must be a non-empty string");
        std::string s = v.get<std::string>();
        if (hosts) {
            s = lower(s);
            while (s.size() > 1 && s.back() == '.') s.pop_back();  // fully qualified "example.com."
            if (!host_like(s))
                return fail(error, std::string("\"") + key + "\"[" + std::to_string(i) + "]: \"" + v.get<std::string>() +
                                       "\" is not a host name, domain or IP address");
        }
        out.push_back(std::move(s));
        ++i;
    }
    return true;
}

}  // namespace

namespace {
bool parse_context_tree(const json &j, Context &out, std::string &error);
}  // namespace

bool parse_context_json(const std::string &text, Context &out, std::string &error) {
    // The non-throwing parse: a syntax error gives a discarded value, never an exception.
    json j = json::parse(text, nullptr, false);
    bool ok = parse_context_tree(j, out, error);
    json_release(j);  // so that the destructor allocates nothing (base/json_release.hh)
    return ok;
}

namespace {

bool parse_context_tree(const json &j, Context &out, std::string &error) {
    if (j.is_discarded()) return fail(error, "not valid JSON");
    if (!j.is_object()) return fail(error, "the top level must be an object");
    if (!only_keys(j, {"domains", "relays", "message_id_domains", "message_id_patterns", "batv", "verp"}, "", error))
        return false;
    Context c;
    if (!string_list(j, "domains", true, c.domains, error) || !string_list(j, "relays", true, c.relays, error) ||
        !string_list(j, "message_id_domains", true, c.message_id_domains, error) ||
        !string_list(j, "message_id_patterns", false, c.message_id_pattern_texts, error))
        return false;
    for (std::size_t i = 0; i < c.message_id_pattern_texts.size(); ++i) {
        RE2::Options o;
        o.set_log_errors(false);
        o.set_max_mem(1 << 20);
        auto re = std::make_shared<const RE2>(c.message_id_pattern_texts[i], o);
        if (!re->ok())
            return fail(error, "\"message_id_patterns\"[" + std::to_string(i) + "] does not compile: " + re->error());
        c.message_id_patterns.push_back(std::move(re));
    }
    if (auto b = j.find("batv"); b != j.end()) {
        if (!b->is_object()) return fail(error, "\"batv\" must be an object");
        if (!only_keys(*b, {"keys", "max_age_days"}, "batv.", error)) return false;
        auto k = b->find("keys");
        if (k == b->end() || !k->is_object() || k->empty())
            return fail(error, "\"batv.keys\" must be an object mapping key numbers to secrets, e.g. {\"0\": \"secret\"}");
        for (auto it = k->begin(); it != k->end(); ++it) {
            const std::string &id = it.key();
            if (id.size() != 1 || id[0] < '0' || id[0] > '9')
                return fail(error, "\"batv.keys\": key numbers are single digits 0-9, not \"" + id + "\"");
            if (!it->is_string() || it->get_ref<const std::string &>().empty())
                return fail(error, "\"batv.keys\": the secret of key " + id + " must be a non-empty string");
            c.batv_keys[id[0] - '0'] = it->get<std::string>();
        }
        if (auto a = b->find("max_age_days"); a != b->end()) {
            if (!a->is_number_integer() || a->get<long long>() < 1 || a->get<long long>() > 999)
                return fail(error, "\"batv.max_age_days\" must be an integer from 1 to 999");
            c.batv_max_age_days = static_cast<int>(a->get<long long>());
        }
    }
    if (auto v = j.find("verp"); v != j.end()) {
        if (!v->is_object()) return fail(error, "\"verp\" must be an object");
        if (!only_keys(*v, {"template", "hmac_key"}, "verp.", error)) return false;
        auto t = v->find("template");
        if (t == v->end() || !t->is_string())
            return fail(error, "\"verp.template\" is required: a string such as \"bounces+{recipient}@example.com\"");
        std::string tpl = t->get<std::string>();
        std::size_t rp = tpl.find("{recipient}"), sp = tpl.find("{sig}"), at = tpl.rfind('@');
        if (rp == std::string::npos || tpl.find("{recipient}", rp + 1) != std::string::npos)
            return fail(error, "\"verp.template\" must contain {recipient} exactly once");
        if (sp != std::string::npos && tpl.find("{sig}", sp + 1) != std::string::npos)
            return fail(error, "\"verp.template\" may contain {sig} at most once");
        if (at == std::string::npos || rp > at || (sp != std::string::npos && sp > at))
            return fail(error, "\"verp.template\" must be an address whose local part holds {recipient} (and {sig})");
        if (sp != std::string::npos && (sp + 5 == rp || rp + 11 == sp))
            return fail(error, "\"verp.template\": {recipient} and {sig} need a separator between them");
        c.verp_template = tpl;
        if (auto h = v->find("hmac_key"); h != v->end()) {
            if (!h->is_string() || h->get_ref<const std::string &>().empty())
                return fail(error, "\"verp.hmac_key\" must be a non-empty string");
            c.verp_hmac_key = h->get<std::string>();
        }
        if (sp != std::string::npos && c.verp_hmac_key.empty())
            return fail(error, "\"verp.template\" has {sig} but \"verp.hmac_key\" is missing");
        if (sp == std::string::npos && !c.verp_hmac_key.empty())
            return fail(error, "\"verp.hmac_key\" is set but \"verp.template\" has no {sig} to check");
    }
    c.sent_callback = out.sent_callback;
    c.sent_user_data = out.sent_user_data;
    out = std::move(c);
    return true;
}

}  // namespace

}  // namespace carom

// The compiled rule set as JSON: every rule in rank order (`carom rules list`) and the parts of
// the decision procedure that are data (carom_engine_decision_json).
#include <nlohmann/json.hpp>

#include "base/json_release.hh"
#include "base/taxonomy.hh"
#include "rules/matcher.hh"

namespace carom::rules {

std::string Matcher::list_jsonl() const {
    std::string out;
    for (const Rule &r : rules) {
        // object() up front and json_release at the end: see base/json_release.hh.
        // Room for every key first: growing an ordered_map copies and destroys its values.
        nlohmann::ordered_json j = nlohmann::ordered_json::object();
        j.get_ref<nlohmann::ordered_json::object_t &>().reserve(10);
        j["id"] = r.id;
        j["file"] = r.file;
        j["line"] = r.line;
        nlohmann::ordered_json c = nlohmann::ordered_json::object();
        for (std::size_t f = 0; f < kFieldCount; ++f)
            if (r.cond[f].present) c[field_name(static_cast<Field>(f))] = r.cond[f].value;
        j["conditions"] = std::move(c);
        j["reason"] = reason_name(r.reason) ? reason_name(r.reason) : r.reason_name;
        j["class"] = class_name(class_of(r.reason));
        j["priority"] = r.effective_priority();
        j["tier"] = tier_name(r.tier());
        if (!r.excludes.empty()) {
            nlohmann::ordered_json ex = nlohmann::ordered_json::array();
            for (carom_reason_t x : r.excludes) ex.push_back(reason_name(x) ? reason_name(x) : "?");
            j["excludes"] = std::move(ex);
        }
        j["says"] = r.says;
        out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        out += '\n';
        json_release(j);
    }
    return out;
}

std::string Matcher::decision_json() const {
    // The parts of the procedure that are data (docs/taxonomy.md): the tiers in order, the
    // reasons' precedence, the outcome reasons and the class of every reason.
    auto names = [](const std::vector<carom_reason_t> &v) {
        nlohmann::ordered_json a = nlohmann::ordered_json::array();
        for (carom_reason_t x : v) a.push_back(reason_name(x) ? reason_name(x) : "?");
        return a;
    };
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    nlohmann::ordered_json tiers = nlohmann::ordered_json::array();
    for (Tier t : {kTierReport, kTierCategory, kTierProvider, kTierText, kTierCode, kTierGeneric, kTierStage})
        tiers.push_back(tier_name(t));
    j["tiers"] = std::move(tiers);
    j["precedence"] = names(directives.precedence);
    j["outcome"] = names(directives.outcome);
    j["transient"] = names(directives.transient);
    nlohmann::ordered_json cls = nlohmann::ordered_json::object();
    for (std::size_t k = 0; k < classes.size(); ++k)
        if (const char *n = reason_name(static_cast<carom_reason_t>(k))) cls[n] = class_name(classes[k]);
    j["classes"] = std::move(cls);
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace carom::rules

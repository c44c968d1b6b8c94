#include "output/json.hh"

#include <nlohmann/json.hpp>

#include "base/taxonomy.hh"

namespace carom {
namespace {

using nlohmann::ordered_json;

// Empty strings are absent values: they render as null, never as "".
ordered_json str(const std::string &s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); }

}  // namespace

std::string to_json(const Result &r, const std::string_view *source) {
    ordered_json j;
    j["source"] = source ? ordered_json(std::string(*source)) : ordered_json(nullptr);
    j["format"] = str(r.format);
    ordered_json records = ordered_json::array();
    for (const Record &rec : r.records) {
        ordered_json o;
        o["recipient"] = str(rec.recipient);
        o["original_recipient"] = str(rec.original_recipient);
        o["action"] = str(rec.action);
        o["status"] = str(rec.status);
        o["status_derived"] = rec.status_derived;
        o["reply_code"] = str(rec.reply_code);
        o["class"] = class_name(rec.cls) ? ordered_json(class_name(rec.cls)) : ordered_json(nullptr);
        o["reason"] = reason_name(rec.reason) ? ordered_json(reason_name(rec.reason)) : ordered_json(nullptr);
        o["rule"] = str(rec.rule);
        o["diagnostic_type"] = str(rec.diagnostic_type);
        o["diagnostic"] = str(rec.diagnostic);
        o["remote_mta"] = str(rec.remote_mta);
        o["reporting_mta"] = str(rec.reporting_mta);
        o["command"] = str(rec.command);
        o["last_attempt"] = str(rec.last_attempt);
        o["feedback_type"] = str(rec.feedback_type);
        if (r.explain) o["hits"] = rec.hits;
        records.push_back(std::move(o));
    }
    j["records"] = std::move(records);
    if (r.original.present) {
        const Original &og = r.original;
        ordered_json o;
        o["message_id"] = str(og.message_id);
        o["from"] = str(og.from);
        o["to"] = og.to;
        o["subject"] = str(og.subject);
        o["date"] = str(og.date);
        o["return_path"] = str(og.return_path);
        o["list_id"] = str(og.list_id);
        ordered_json h = ordered_json::object();
        for (const auto &kv : og.headers) h[kv.first] = kv.second;
        o["headers"] = std::move(h);
        j["original"] = std::move(o);
    } else {
        j["original"] = nullptr;
    }
    {
        ordered_json b;
        const char *v = r.backscatter.verdict == CAROM_VERDICT_BACKSCATTER ? "backscatter"
                        : r.backscatter.verdict == CAROM_VERDICT_GENUINE   ? "genuine"
                                                                           : "unknown";
        b["verdict"] = v;
        ordered_json sig = ordered_json::array();
        for (const Signal &s : r.backscatter.signals)
            sig.push_back(ordered_json{{"name", s.name}, {"outcome", s.outcome}, {"evidence", s.evidence}});
        b["signals"] = std::move(sig);
        j["backscatter"] = std::move(b);
    }
    if (r.status != CAROM_OK) {
        const char *name = carom_status_name(r.status);
        j["error"] = ordered_json{{"code", name ? name : "unknown"}, {"message", r.message}};
    } else {
        j["error"] = nullptr;
    }
    // replace: invalid UTF-8 (which should not reach here) becomes U+FFFD instead of throwing.
    return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace carom

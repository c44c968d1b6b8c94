// Microsoft Exchange Server 2007 and later, on premises (Exchange Online's notices have the same
// shape and are left to the Office 365 reader). The text part has a section for users and one
// for administrators; the latter is regular:
//
//   Diagnostic information for administrators:
//
//   Generating server: mail.example.com
//   Receiving server: mx.example.org (192.0.2.1)
//
//   user@example.org
//   #550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##
//   (or: Remote Server returned '550 5.1.1 User unknown')
//
//   Original message headers:
//
// The section titles are localised with the server's language; the lines inside are not.
// An RFC 3464 part usually follows.
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"

namespace carom::formats {
namespace {

// "Diagnostic information for administrators" in the languages Exchange ships.
constexpr std::string_view kAdmin[] = {
    "Diagnostic information for administrators",
    "Informations de diagnostic pour les administrateurs",
    "Diagnoseinformationen für Administratoren",
    "Información de diagnóstico para administradores",
    "Informações de diagnóstico para administradores",
    "Informazioni di diagnostica per gli amministratori",
    "Diagnostische informatie voor beheerders",
    "Diagnostische gegevens voor beheerders",
    "管理者用の診断情報",
    "Диагностические сведения для администраторов",
    "管理员的诊断信息",
    "系統管理員的診斷資訊",
    "관리자를 위한 진단 정보",
    "Diagnostikinformation för administratörer",
    "Diagnoseinformasjon for administratorer",
    "Diagnostiske oplysninger til administratorer",
    "Informacje diagnostyczne dla administratorów",
};
// Its body markers (formats/markers.hh): the headings above and the phrases its steps test.
constexpr auto kMarkers = joined(kAdmin, {".prod.outlook.com", "Sent by Microsoft Exchange Server",
                                          "Delivery is delayed to these recipients"});
constexpr MarkerMask kAdminMarkers = marker_mask(kMarkers, kAdmin);

// "Delivery has failed to these recipients or groups:" and its delay counterpart.
constexpr std::string_view kUser[] = {
    "Delivery has failed to these recipients",
    "Delivery is delayed to these recipients",
    "chec de la remise pour ces destinataires",
    "Die Zustellung an folgende Empf",
    "Error en la entrega a estos destinatarios",
    "Falha na entrega para estes destinat",
    "Recapito non riuscito per i seguenti destinatari",
    "Bezorging is mislukt voor deze ontvangers",
    "次の受信者またはグループへの配信に失敗しました",
    "Не удалось доставить сообщение следующим получателям",
    "下列收件人或组的传递失败",
};

const std::vector<std::string_view> kEnds = {
    "Original message headers", "En-têtes de message d'origine", "Ursprüngliche Nachrichtenkopfzeilen",
    "Encabezados del mensaje original", "Cabeçalhos da mensagem original", "Intestazioni del messaggio originale",
    "Oorspronkelijke berichtkoppen", "元のメッセージ ヘッダー", "Заголовки исходного сообщения", "原始邮件头",
    "원본 메시지 헤더", "Intestazioni originali del messaggio", "Received:", "--", "Content-Type:",
};

bool bare_address(std::string_view s, std::string &addr) {
    s = trim(s);
    std::size_t sp = s.find(' ');
    if (sp != std::string_view::npos) return false;
    if (s.find('@') == std::string_view::npos) return false;
    addr = find_address(s);
    return !addr.empty();
}

bool exchange_online(const Input &in) {
    for (const auto &f : in.msg.root.headers.fields)
        if (istarts_with(f.name, "X-MS-Exchange-CrossTenant")) return true;
    const std::string id = header(in, "Message-ID");
    return icontains(id, ".outlook.com") || body_has(in, BODY_MARKER(".prod.outlook.com"));
}

bool exchange2007_detect(const Input &in) {
    // Exchange's own markers first (bit tests and one header lookup); the Exchange Online test
    // (header searches) only when one is there.
    const bool exchange = body_has_any(in, kAdminMarkers) || in.msg.root.headers.has("X-MS-Exchange-Message-Is-Ndr") ||
                          body_has(in, BODY_MARKER("Sent by Microsoft Exchange Server"));
    return exchange && !exchange_online(in);
}

bool exchange2007_read(const Input &in, Extraction &ex) {
    std::vector<Record> out;
    std::string generating, receiving;
    const std::size_t at = body_find_first(in, kAdminMarkers);  // the earliest heading
    bool delayed = body_has(in, BODY_MARKER("Delivery is delayed to these recipients"));
    if (at != std::string_view::npos) {
        std::string_view body = std::string_view(in.body).substr(at);
        std::size_t nl = body.find('\n');
        body = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
        std::string_view text = block_after(body, "", kEnds);
        for (std::string_view raw : lines(text)) {
            std::string_view s = trim(raw);
            if (s.empty()) continue;
            std::size_t colon = s.find(':');
            // "Generating server: X" / "Receiving server: X" (localised labels, same layout).
            if (out.empty() && colon != std::string_view::npos && s.find('@') == std::string_view::npos) {
                std::string_view v = trim(s.substr(colon + 1));
                std::string_view host = v.substr(0, v.find(' '));
                if (generating.empty()) generating = std::string(host);
                else receiving = std::string(host);
                continue;
            }
            std::string addr;
            if (bare_address(s, addr)) {
                Record r;
                r.recipient = addr;
                out.push_back(std::move(r));
                continue;
            }
            if (out.empty()) continue;
            if (!out.back().diagnostic.empty()) out.back().diagnostic += ' ';
            out.back().diagnostic += std::string(s);
        }
    }
    if (out.empty()) {
        // No administrators' section: the users' list ("Name<mailto:addr>" or bare addresses).
        for (std::string_view u : kUser) {
            std::size_t p = ifind(in.body, u);
            if (p == std::string_view::npos) continue;
            std::string_view text = block_after(std::string_view(in.body).substr(p), u, kEnds);
            for (std::string_view raw : lines(text)) {
                std::string_view s = trim(raw);
                std::size_t m = ifind(s, "mailto:");
                std::string addr;
                if (m != std::string_view::npos) addr = find_address(s.substr(m + 7));
                else if (!bare_address(s, addr)) addr.clear();
                if (!addr.empty()) {
                    Record r;
                    r.recipient = addr;
                    out.push_back(std::move(r));
                } else if (!out.empty() && !s.empty() && out.back().diagnostic.size() < 512) {
                    if (!out.back().diagnostic.empty()) out.back().diagnostic += ' ';
                    out.back().diagnostic += std::string(s);
                }
            }
            break;
        }
    }
    for (Record &r : out) {
        if (delayed) r.action = "delayed";
        r.reporting_mta = generating;
        std::size_t rs = ifind(r.diagnostic, "Remote Server at ");
        if (rs != std::string::npos) {
            std::size_t b = rs + 17, e = r.diagnostic.find(' ', b);
            r.remote_mta = r.diagnostic.substr(b, e == std::string::npos ? std::string::npos : e - b);
        } else {
            r.remote_mta = receiving;
        }
        // "... ##rfc822;user@example.org" closes some diagnostics.
        std::size_t hh = r.diagnostic.find("##rfc822;");
        if (hh != std::string::npos) r.diagnostic.erase(hh + 2);
    }
    merge(in, ex, std::move(out));
    return !ex.records.empty();
}

}  // namespace

extern const Reader exchange2007_reader = {"exchange2007", markers(kMarkers), exchange2007_detect, exchange2007_read};

}  // namespace carom::formats

#include <lantern/core/base/report.hpp>

namespace lantern::core {

std::string Issue::to_text() const
{
    // "parcels.gpkg: parcels feature 12 (parcel_id=P-12): field land_use = 'XYZ': reason"
    std::string text = file;
    if (!class_name.empty())
        text += (text.empty() ? "" : ": ") + class_name;
    if (feature) {
        text += (class_name.empty() ? ": feature " : " feature ") + std::to_string(*feature);
        if (!feature_id.empty())
            text += " (" + feature_id + ")";
    }
    if (!field.empty()) {
        text += field == "geometry" ? ": geometry" : ": field " + field;
        if (!value.empty())
            text += " = '" + value + "'";
    }
    text += ": " + reason;
    if (severity == Severity::warning)
        text = "warning: " + text;
    return text;
}

nlohmann::json Issue::to_json() const
{
    nlohmann::json j;
    j["severity"] = severity == Severity::error ? "error" : "warning";
    j["file"] = file;
    j["class"] = class_name;
    j["feature"] = feature ? nlohmann::json(*feature) : nlohmann::json(nullptr);
    j["feature_id"] = feature_id;
    j["field"] = field;
    j["value"] = value;
    j["reason"] = reason;
    return j;
}

void Report::add(Issue issue)
{
    if (issue.severity == Severity::error)
        ++m_errors;
    m_issues.push_back(std::move(issue));
}

nlohmann::json Report::to_json() const
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto& issue : m_issues)
        list.push_back(issue.to_json());
    return {{"errors", m_errors}, {"warnings", warning_count()}, {"issues", list}};
}

}  // namespace lantern::core

#pragma once
// Problems found in data are values, not exceptions: each names the file, the
// feature (its position and id), the field, the value and the reason, so a
// GIS officer can find and fix it. A Report prints as text or JSON.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lantern::core {

enum class Severity { error, warning };

struct Issue {
    Severity severity = Severity::error;
    std::string file;                     // source file or city database
    std::string class_name;               // feature class, when known
    std::optional<std::int64_t> feature;  // 1-based position in the source, or fid
    std::string feature_id;               // the feature's id value, when known
    std::string field;                    // field name, "geometry", or empty
    std::string value;                    // the offending value, shortened
    std::string reason;

    // "lamps.csv: lamps feature 12 (lamp_id=L-12): field power_w = '-5': below the minimum 0"
    std::string to_text() const;
    nlohmann::json to_json() const;
};

class Report {
public:
    void add(Issue issue);
    const std::vector<Issue>& issues() const { return m_issues; }
    std::size_t error_count() const { return m_errors; }
    std::size_t warning_count() const { return m_issues.size() - m_errors; }
    bool ok() const { return m_errors == 0; }
    nlohmann::json to_json() const;

private:
    std::vector<Issue> m_issues;
    std::size_t m_errors = 0;
};

}  // namespace lantern::core

#pragma once
// A thin layer over libpq for the PostGIS backend: a connection named by a
// URI whose password never reaches a message, results read in binary, values
// always sent as parameters, and COPY for bulk inserts. Internal to core's
// storage module.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <lantern/core/schema/schema.hpp>

struct pg_conn;
struct pg_result;

namespace lantern::core::detail {

// A city's PostgreSQL location: postgresql://USER[:PASSWORD]@HOST[:PORT]/DB
// with libpq's own parameters (host may be a Unix socket folder, e.g.
// ?host=/run/postgresql) and Lantern's `schema` (default public).
struct PostgresLocation {
    std::string connect;   // for libpq, `schema` taken out
    std::string schema;
    std::string redacted;  // for messages: the password, wherever it was, taken out
};

bool is_postgresql_url(const std::string& location);
// Throws UsageError (naming the redacted URI) for a malformed one.
PostgresLocation parse_postgres_location(const std::string& location);
// The URI with its password taken out, for messages; other text as it is.
std::string redact_password(const std::string& location);

// An identifier in double quotes, any quote in it doubled.
std::string quote_identifier(std::string_view identifier);

// A query's result, read in binary (integers and floats big-endian).
class PgResult {
public:
    explicit PgResult(pg_result* result) : m_result(result) {}
    ~PgResult();
    PgResult(PgResult&& other) noexcept : m_result(other.m_result) { other.m_result = nullptr; }
    PgResult(const PgResult&) = delete;
    PgResult& operator=(const PgResult&) = delete;
    PgResult& operator=(PgResult&& other) noexcept
    {
        std::swap(m_result, other.m_result);
        return *this;
    }

    int rows() const;
    bool is_null(int row, int column) const;
    std::int64_t int64(int row, int column) const;
    double real(int row, int column) const;
    std::string text(int row, int column) const;  // empty for NULL
    std::string_view bytes(int row, int column) const;
    // A column of a class table as a Value, by its type.
    Value value(int row, int column) const;

private:
    pg_result* m_result;
};

// Parameters of one query: text, numbers and bytes; NULL for none.
class PgParams {
public:
    PgParams& text(std::string_view value);
    PgParams& text_or_null(std::string_view value);  // empty as NULL
    PgParams& integer(std::int64_t value);
    PgParams& real(double value);
    PgParams& bytes(const void* data, std::size_t size);
    PgParams& null();
    // A value for a column of the field's type (integral reals to integer
    // columns, integers to real columns, as SQLite's affinity does).
    PgParams& value(const Value& value, FieldType type);
    PgParams& value(const Value& value);

    int size() const { return static_cast<int>(m_values.size()); }
    const char* const* values() const;
    const int* lengths() const { return m_lengths.data(); }
    const int* formats() const { return m_formats.data(); }

private:
    std::vector<std::unique_ptr<std::string>> m_storage;  // stable addresses
    std::vector<const std::string*> m_values;
    std::vector<int> m_lengths;
    std::vector<int> m_formats;
    mutable std::vector<const char*> m_pointers;
};

class PgConnection {
public:
    // Connects and fails with StorageError naming `where` (no password).
    PgConnection(const std::string& connect, std::string where);
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    const std::string& where() const { return m_where; }

    void exec(const std::string& sql);
    PgResult query(const std::string& sql, const PgParams& params = {});

    // Bulk rows in COPY's binary format, sent as the buffer fills; any
    // other command ends the copy first (end_copy), so a caller may read
    // and write between rows.
    void copy_row(const std::string& copy_sql, std::string_view row);
    void end_copy();
    // Ends a copy without keeping its rows, for a rollback.
    void abandon_copy();

    // Counts the notifications that arrived since the last call, without
    // a round trip to the server.
    int take_notifications();

private:
    [[noreturn]] void fail(pg_result* result, const std::string& context);
    void flush_copy();

    pg_conn* m_conn = nullptr;
    std::string m_where;
    std::string m_copy_sql;  // the COPY in progress; empty when none
    std::string m_copy_buffer;
};

// COPY's binary encoding of one row, field after field.
class CopyRow {
public:
    explicit CopyRow(int fields);
    void integer(std::int64_t value);
    void real(double value);
    void bytes(std::string_view value);
    void null();
    void value(const Value& value, FieldType type);
    std::string_view data() const { return m_data; }

private:
    void length(std::int32_t value);
    std::string m_data;
};

}  // namespace lantern::core::detail

#include "postgres_connection.hpp"

#include <cstring>
#include <utility>

#include <libpq-fe.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/percent_encoding.hpp>

namespace lantern::core::detail {

namespace {

// Type OIDs of pg_type that class tables and Lantern's own tables use.
constexpr Oid bool_oid = 16, bytea_oid = 17, int8_oid = 20, int2_oid = 21, int4_oid = 23,
              float4_oid = 700, float8_oid = 701;

// SQLSTATEs that mean "another writer holds it" and "this role may not write".
bool is_busy(std::string_view state)
{
    return state == "55P03" /* lock_not_available */ || state == "40001" /* serialization_failure */ ||
           state == "40P01" /* deadlock_detected */;
}
bool is_read_only(std::string_view state)
{
    return state == "25006" /* read_only_sql_transaction */ || state == "42501" /* insufficient_privilege */;
}

// Copies the send buffer out once it holds this much.
constexpr std::size_t copy_flush_bytes = 1 << 20;

std::uint64_t read_big_endian(const char* p, int size)
{
    std::uint64_t v = 0;
    for (int i = 0; i < size; ++i)
        v = (v << 8) | static_cast<unsigned char>(p[i]);
    return v;
}

void append_big_endian(std::string& out, std::uint64_t v, int size)
{
    for (int i = size - 1; i >= 0; --i)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::string trimmed(std::string text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

std::string_view parameter_name(std::string_view parameter)
{
    return parameter.substr(0, parameter.find('='));
}

}  // namespace

bool is_postgresql_url(const std::string& location)
{
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::string redact_password(const std::string& location)
{
    if (!is_postgresql_url(location))
        return location;
    auto scheme_end = location.find("://") + 3;
    auto query_start = location.find('?', scheme_end);
    std::string base = location.substr(0, query_start);
    // user:password@ in the authority, which ends at the first '/'.
    auto authority_end = std::min(base.find('/', scheme_end), base.size());
    auto at = base.rfind('@', authority_end);
    if (at != std::string::npos && at >= scheme_end) {
        auto colon = base.find(':', scheme_end);
        if (colon != std::string::npos && colon < at)
            base.erase(colon, at - colon);
    }
    if (query_start == std::string::npos)
        return base;
    std::string query;
    std::string_view rest = std::string_view(location).substr(query_start + 1);
    while (!rest.empty()) {
        auto end = rest.find('&');
        auto parameter = rest.substr(0, end);
        if (parameter_name(parameter) != "password")
            query += (query.empty() ? "" : "&") + std::string(parameter);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
    return query.empty() ? base : base + "?" + query;
}

PostgresLocation parse_postgres_location(const std::string& location)
{
    PostgresLocation out;
    out.redacted = redact_password(location);
    out.schema = "public";
    auto query_start = location.find('?');
    out.connect = location.substr(0, query_start);
    if (query_start == std::string::npos)
        return out;
    std::string kept;
    std::string_view rest = std::string_view(location).substr(query_start + 1);
    while (!rest.empty()) {
        auto end = rest.find('&');
        auto parameter = rest.substr(0, end);
        if (parameter_name(parameter) == "schema") {
            auto equals = parameter.find('=');
            auto decoded = equals == std::string_view::npos ? std::optional<std::string>()
                                                            : percent_decode(parameter.substr(equals + 1));
            if (equals != std::string_view::npos && !decoded)
                throw UsageError(out.redacted + ": a malformed %-escape in the schema name");
            out.schema = decoded.value_or("");
            if (out.schema.empty())
                throw UsageError(out.redacted + ": the schema parameter names no schema");
        } else if (!parameter.empty()) {
            kept += (kept.empty() ? "" : "&") + std::string(parameter);
        }
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
    if (!kept.empty())
        out.connect += "?" + kept;
    return out;
}

std::string quote_identifier(std::string_view identifier)
{
    std::string out = "\"";
    for (char c : identifier) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

PgResult::~PgResult()
{
    if (m_result)
        PQclear(m_result);
}

int PgResult::rows() const
{
    return PQntuples(m_result);
}

bool PgResult::is_null(int row, int column) const
{
    return PQgetisnull(m_result, row, column) != 0;
}

std::int64_t PgResult::int64(int row, int column) const
{
    if (is_null(row, column))
        return 0;
    const char* p = PQgetvalue(m_result, row, column);
    switch (PQftype(m_result, column)) {
    case int8_oid: return static_cast<std::int64_t>(read_big_endian(p, 8));
    case int4_oid: return static_cast<std::int32_t>(read_big_endian(p, 4));
    case int2_oid: return static_cast<std::int16_t>(read_big_endian(p, 2));
    case bool_oid: return p[0] != 0;
    default: return static_cast<std::int64_t>(real(row, column));
    }
}

double PgResult::real(int row, int column) const
{
    if (is_null(row, column))
        return 0;
    const char* p = PQgetvalue(m_result, row, column);
    switch (PQftype(m_result, column)) {
    case float8_oid: {
        std::uint64_t bits = read_big_endian(p, 8);
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
    }
    case float4_oid: {
        auto bits = static_cast<std::uint32_t>(read_big_endian(p, 4));
        float f;
        std::memcpy(&f, &bits, sizeof f);
        return f;
    }
    default: return static_cast<double>(int64(row, column));
    }
}

std::string PgResult::text(int row, int column) const
{
    return std::string(bytes(row, column));
}

std::string_view PgResult::bytes(int row, int column) const
{
    if (is_null(row, column))
        return {};
    return {PQgetvalue(m_result, row, column), static_cast<std::size_t>(PQgetlength(m_result, row, column))};
}

Value PgResult::value(int row, int column) const
{
    if (is_null(row, column))
        return std::monostate{};
    switch (PQftype(m_result, column)) {
    case int8_oid:
    case int4_oid:
    case int2_oid:
    case bool_oid: return int64(row, column);
    case float8_oid:
    case float4_oid: return real(row, column);
    default: return text(row, column);
    }
}

PgParams& PgParams::text(std::string_view value)
{
    m_storage.push_back(std::make_unique<std::string>(value));
    m_values.push_back(m_storage.back().get());
    m_lengths.push_back(static_cast<int>(value.size()));
    m_formats.push_back(0);
    return *this;
}

PgParams& PgParams::text_or_null(std::string_view value)
{
    return value.empty() ? null() : text(value);
}

PgParams& PgParams::integer(std::int64_t value)
{
    return text(std::to_string(value));
}

PgParams& PgParams::real(double value)
{
    // 17 significant digits give the double back exactly; float8in reads
    // "nan" and "inf" too.
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return text(buffer);
}

PgParams& PgParams::bytes(const void* data, std::size_t size)
{
    m_storage.push_back(std::make_unique<std::string>(static_cast<const char*>(data), size));
    m_values.push_back(m_storage.back().get());
    m_lengths.push_back(static_cast<int>(size));
    m_formats.push_back(1);
    return *this;
}

PgParams& PgParams::null()
{
    m_values.push_back(nullptr);
    m_lengths.push_back(0);
    m_formats.push_back(0);
    return *this;
}

PgParams& PgParams::value(const Value& value, FieldType type)
{
    bool integer_column = type == FieldType::integer || type == FieldType::boolean;
    if (auto* d = std::get_if<double>(&value); d && integer_column && *d == static_cast<double>(static_cast<std::int64_t>(*d)))
        return integer(static_cast<std::int64_t>(*d));
    if (auto* i = std::get_if<std::int64_t>(&value); i && type == FieldType::real)
        return real(static_cast<double>(*i));
    return this->value(value);
}

PgParams& PgParams::value(const Value& value)
{
    if (auto* i = std::get_if<std::int64_t>(&value))
        return integer(*i);
    if (auto* d = std::get_if<double>(&value))
        return real(*d);
    if (auto* s = std::get_if<std::string>(&value))
        return text(*s);
    return null();
}

const char* const* PgParams::values() const
{
    m_pointers.clear();
    for (const auto* v : m_values)
        m_pointers.push_back(v ? v->data() : nullptr);
    return m_pointers.data();
}

PgConnection::PgConnection(const std::string& connect, std::string where) : m_where(std::move(where))
{
    m_conn = PQconnectdb(connect.c_str());
    if (!m_conn)
        throw StorageError(m_where + ": cannot connect: out of memory");
    if (PQstatus(m_conn) != CONNECTION_OK) {
        std::string message = trimmed(PQerrorMessage(m_conn));
        PQfinish(m_conn);
        m_conn = nullptr;
        throw StorageError(m_where + ": cannot connect: " + message);
    }
    PQsetClientEncoding(m_conn, "UTF8");
    // Notices and warnings (ANALYZE skipped for a role that does not own the
    // table, say) would go to stderr through libpq; errors come as results.
    exec("SET client_min_messages = error");
}

PgConnection::~PgConnection()
{
    if (m_conn)
        PQfinish(m_conn);
}

void PgConnection::exec(const std::string& sql)
{
    query(sql);
}

PgResult PgConnection::query(const std::string& sql, const PgParams& params)
{
    end_copy();
    PGresult* result = PQexecParams(m_conn, sql.c_str(), params.size(), nullptr, params.values(),
                                    params.lengths(), params.formats(), 1);
    auto status = PQresultStatus(result);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
        fail(result, sql.substr(0, 80));
    return PgResult(result);
}

void PgConnection::fail(PGresult* result, const std::string& context)
{
    std::string state, message;
    if (result) {
        if (const char* s = PQresultErrorField(result, PG_DIAG_SQLSTATE))
            state = s;
        if (const char* m = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY))
            message = m;
        PQclear(result);
    }
    if (message.empty())
        message = trimmed(PQerrorMessage(m_conn));
    if (is_busy(state))
        throw StorageError(m_where + ": busy: another process is writing the same class or result (" +
                           message + "); try again when it has finished");
    if (is_read_only(state))
        throw StorageError(m_where + ": the city database is read-only for this connection (" + message + ")");
    throw StorageError(m_where + ": " + context + ": " + message);
}

void PgConnection::copy_row(const std::string& copy_sql, std::string_view row)
{
    if (m_copy_sql != copy_sql) {
        end_copy();
        PGresult* result = PQexec(m_conn, copy_sql.c_str());
        if (PQresultStatus(result) != PGRES_COPY_IN)
            fail(result, copy_sql.substr(0, 80));
        PQclear(result);
        m_copy_sql = copy_sql;
        // COPY's binary header: signature, flags, no extension area.
        m_copy_buffer.assign("PGCOPY\n\377\r\n\0", 11);
        append_big_endian(m_copy_buffer, 0, 4);
        append_big_endian(m_copy_buffer, 0, 4);
    }
    m_copy_buffer.append(row);
    if (m_copy_buffer.size() >= copy_flush_bytes)
        flush_copy();
}

void PgConnection::flush_copy()
{
    if (!m_copy_buffer.empty() &&
        PQputCopyData(m_conn, m_copy_buffer.data(), static_cast<int>(m_copy_buffer.size())) != 1)
        fail(nullptr, "COPY");
    m_copy_buffer.clear();
}

void PgConnection::end_copy()
{
    if (m_copy_sql.empty())
        return;
    std::string context = m_copy_sql.substr(0, 80);
    m_copy_sql.clear();
    append_big_endian(m_copy_buffer, 0xffff, 2);  // the trailer
    flush_copy();
    if (PQputCopyEnd(m_conn, nullptr) != 1)
        fail(nullptr, context);
    PGresult* failed = nullptr;
    while (PGresult* result = PQgetResult(m_conn)) {
        if (PQresultStatus(result) != PGRES_COMMAND_OK && !failed)
            failed = result;
        else
            PQclear(result);
    }
    if (failed)
        fail(failed, context);
}

void PgConnection::abandon_copy()
{
    if (m_copy_sql.empty())
        return;
    m_copy_sql.clear();
    m_copy_buffer.clear();
    PQputCopyEnd(m_conn, "rolled back");
    while (PGresult* result = PQgetResult(m_conn))
        PQclear(result);
}

int PgConnection::take_notifications()
{
    int count = 0;
    if (!m_copy_sql.empty())
        return count;
    PQconsumeInput(m_conn);
    while (PGnotify* notice = PQnotifies(m_conn)) {
        ++count;
        PQfreemem(notice);
    }
    return count;
}

CopyRow::CopyRow(int fields)
{
    append_big_endian(m_data, static_cast<std::uint64_t>(fields), 2);
}

void CopyRow::length(std::int32_t value)
{
    append_big_endian(m_data, static_cast<std::uint32_t>(value), 4);
}

void CopyRow::integer(std::int64_t value)
{
    length(8);
    append_big_endian(m_data, static_cast<std::uint64_t>(value), 8);
}

void CopyRow::real(double value)
{
    std::uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    length(8);
    append_big_endian(m_data, bits, 8);
}

void CopyRow::bytes(std::string_view value)
{
    length(static_cast<std::int32_t>(value.size()));
    m_data.append(value);
}

void CopyRow::null()
{
    length(-1);
}

void CopyRow::value(const Value& value, FieldType type)
{
    bool integer_column = type == FieldType::integer || type == FieldType::boolean;
    if (std::holds_alternative<std::monostate>(value))
        return null();
    if (auto* i = std::get_if<std::int64_t>(&value)) {
        if (type == FieldType::real)
            return real(static_cast<double>(*i));
        if (integer_column)
            return integer(*i);
        return bytes(std::to_string(*i));
    }
    if (auto* d = std::get_if<double>(&value)) {
        if (integer_column && *d == static_cast<double>(static_cast<std::int64_t>(*d)))
            return integer(static_cast<std::int64_t>(*d));
        if (type == FieldType::real)
            return real(*d);
        throw DataError("the value " + to_display(value) + " is not a " + to_string(type));
    }
    const auto& s = std::get<std::string>(value);
    if (type != FieldType::text)
        throw DataError("the text '" + s + "' is not a " + to_string(type));
    bytes(s);
}

}  // namespace lantern::core::detail

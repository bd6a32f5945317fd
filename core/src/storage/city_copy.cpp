#include <lantern/core/storage/city_copy.hpp>

#include <memory>

#include <ogr_geometry.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/progress.hpp>
#include <lantern/core/crs/crs.hpp>

namespace lantern::core {

namespace {

// The bounds of a geometry for the destination's spatial index.
Bounds wkb_bounds(const std::vector<unsigned char>& wkb)
{
    OGRGeometry* geometry = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &geometry, wkb.size()) != OGRERR_NONE || !geometry)
        return {};
    std::unique_ptr<OGRGeometry> owned(geometry);
    OGREnvelope envelope;
    owned->getEnvelope(&envelope);
    return {envelope.MinX, envelope.MinY, envelope.MaxX, envelope.MaxY};
}

class CityCopy {
public:
    CityCopy(const Storage& source, Storage& destination, bool progress)
        : m_source(source), m_destination(destination), m_progress(progress)
    {
    }

    // Copies a class's or feature result's table, fid for fid; the checksum
    // of what was written, to compare with the source's record.
    ClassRecord copy_table(const ClassSchema& schema, std::int64_t expected)
    {
        m_destination.prepare_class(schema, true);
        auto writer = m_destination.writer(schema);
        ContentDigest digest;
        ProgressBar bar("copying " + schema.name, expected, m_progress);
        std::int64_t done = 0;
        m_source.scan(schema, [&](const StoredFeature& feature) {
            if (!writer->insert_as(feature.fid, feature.wkb, feature.values, wkb_bounds(feature.wkb)))
                throw DataError(m_source.location() + ": " + schema.name + " feature " + std::to_string(feature.fid) +
                                    ": its fid or id is there twice",
                                Choice::damaged_city);
            digest.add(feature.fid, feature.wkb, feature.values, std::nullopt);
            bar.update(++done);
        });
        writer->finish();
        bar.finish();
        ClassRecord written;
        digest.fill(written);
        return written;
    }

    void expect_same(const std::string& what, const std::string& source_checksum, const ClassRecord& written)
    {
        if (written.checksum != source_checksum)
            throw DataError(m_source.location() + ": " + what + ": the features read (checksum " + written.checksum +
                                ") differ from its record (" + source_checksum + ")",
                            Choice::damaged_city);
    }

    // A raster's file, byte for byte; returns where the destination keeps it.
    StagedRaster copy_raster(RasterRole role, const std::string& name, const std::string& checksum)
    {
        auto staged = m_destination.stage_raster(role, name, [&](const std::string& target) {
            m_source.save_raster(name, target);
        });
        if (staged.checksum != checksum)
            throw DataError(m_source.location() + ": raster " + name + ": its cells (checksum " + staged.checksum +
                            ") differ from its record (" + checksum + ")");
        return staged;
    }

private:
    const Storage& m_source;
    Storage& m_destination;
    bool m_progress;
};

// Reads back what the copy holds: every class and result checksum as the source's.
void check_copy(const Storage& source, const Storage& copy, const std::vector<ClassSchema>& class_schemas)
{
    for (const auto& schema : class_schemas) {
        auto record = source.class_record(schema.name);
        if (!record)
            continue;
        auto read = summarize(copy, schema);
        if (read.checksum != record->checksum || read.feature_count != record->feature_count)
            throw StorageError(copy.location() + ": class " + schema.name + " reads back with checksum " +
                               read.checksum + ", not the source's " + record->checksum);
    }
    for (const auto& record : source.result_records()) {
        if (record.kind == ResultKind::features) {
            auto read = summarize(copy, record.schema);
            if (read.checksum != record.checksum)
                throw StorageError(copy.location() + ": result " + record.name + " reads back with checksum " +
                                   read.checksum + ", not the source's " + record.checksum);
        } else {
            auto state = copy.raster_state(record.name);
            if (state.checksum != record.checksum)
                throw StorageError(copy.location() + ": the cells of result " + record.name +
                                   " differ from the source's");
        }
    }
    for (const auto& record : source.raster_records())
        if (copy.raster_state(record.name).checksum != record.checksum)
            throw StorageError(copy.location() + ": the cells of raster " + record.name + " differ from the source's");
}

}  // namespace

CityCopySummary copy_city(const Storage& source, const std::string& destination,
                          const std::vector<ClassSchema>& class_schemas, bool progress)
{
    auto city = source.city();
    auto copy = create_city(destination, city.name, Crs::from_user(city.crs), city.bounds);
    CityCopySummary summary;
    summary.destination = copy->location();
    try {
        CityCopy copier(source, *copy, progress);
        Transaction transaction(*copy);
        for (const auto& [name, document] : source.class_descriptions())
            copy->put_class_description(name, document);
        for (const auto& schema : class_schemas) {
            auto record = source.class_record(schema.name);
            if (!source.has_class(schema.name))
                continue;
            auto written = copier.copy_table(schema, record ? record->feature_count : 0);
            summary.features += written.feature_count;
            if (record) {
                copier.expect_same("class " + schema.name, record->checksum, written);
                copy->put_class_record(*record);
                ++summary.classes;
            }
        }
        for (auto record : source.raster_records()) {
            describe_staged(record, copier.copy_raster(RasterRole::imported, record.name, record.checksum));
            copy->put_raster_record(record);
            ++summary.rasters;
        }
        for (auto record : source.result_records()) {
            if (record.kind == ResultKind::features) {
                auto written = copier.copy_table(record.schema, record.feature_count);
                copier.expect_same("result " + record.name, record.checksum, written);
                summary.features += written.feature_count;
            } else {
                auto staged = copier.copy_raster(RasterRole::result, record.name, record.checksum);
                record.path = staged.location;
            }
            copy->put_result_record(record);
            ++summary.results;
        }
        for (const auto& token : source.access_tokens())
            copy->put_access_token(token);
        for (const auto& change : source.status_changes())
            copy->append_status_change(change);
        transaction.commit();
        check_copy(source, *copy, class_schemas);
    } catch (...) {
        copy.reset();
        try {
            remove_city(destination);
        } catch (...) {
            // The first error is the one to report.
        }
        throw;
    }
    return summary;
}

}  // namespace lantern::core

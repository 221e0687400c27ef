/* The MNIST reader on small .gz files written here, one per defect, and on
 * the real files in data/mnist (or $DDIM_DATA) when they are present. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "test_util.h"
#include "runtime/base/mnist.h"

#define IMAGES_MAGIC 0x00000803u
#define LABELS_MAGIC 0x00000801u

static void write_gz(const char *path, const void *data, size_t size)
{
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    if (size > 0)
        assert_int_equal(gzwrite(gz, data, (unsigned)size), size);
    assert_int_equal(gzclose(gz), Z_OK);
}

static void put_be32(unsigned char *p, uint32_t x)
{
    p[0] = (unsigned char)(x >> 24);
    p[1] = (unsigned char)(x >> 16);
    p[2] = (unsigned char)(x >> 8);
    p[3] = (unsigned char)x;
}

/* The value of byte i of the synthetic images. */
static unsigned char pixel_value(size_t i) { return (unsigned char)(i * 7 % 256); }

/* An images file whose header says count x rows x columns, followed
 * by body_size pixel bytes (short or long of the header's count to make
 * defective files). */
static void write_images(const char *path, uint32_t count, uint32_t rows,
                         uint32_t columns, size_t body_size)
{
    unsigned char *idx = malloc(16 + body_size);
    assert_non_null(idx);
    put_be32(idx, IMAGES_MAGIC);
    put_be32(idx + 4, count);
    put_be32(idx + 8, rows);
    put_be32(idx + 12, columns);
    for (size_t i = 0; i < body_size; i++)
        idx[16 + i] = pixel_value(i);
    write_gz(path, idx, 16 + body_size);
    free(idx);
}

static void write_labels(const char *path, uint32_t count, const unsigned char *labels, size_t size)
{
    unsigned char idx[64];
    assert_true(8 + size <= sizeof idx);
    put_be32(idx, LABELS_MAGIC);
    put_be32(idx + 4, count);
    memcpy(idx + 8, labels, size);
    write_gz(path, idx, 8 + size);
}

/* err must be exactly "path: problem". */
static void assert_error(const char *err, const char *path, const char *problem)
{
    char want[1024];
    snprintf(want, sizeof want, "%s: %s", path, problem);
    assert_string_equal(err, want);
}

#define THREE_IMAGES (3 * MNIST_IMAGE_PIXELS)
static const unsigned char three_labels[3] = { 3, 1, 4 };

static void test_mnist_reads_good_files(void **state)
{
    char images_path[256], labels_path[256], err[512];
    scratch_path(images_path, state, "images.gz");
    scratch_path(labels_path, state, "labels.gz");
    write_images(images_path, 3, 28, 28, THREE_IMAGES);
    write_labels(labels_path, 3, three_labels, 3);

    struct mnist_images images;
    struct mnist_labels labels;
    assert_int_equal(mnist_load_pair(images_path, labels_path, 3, &images, &labels, err, sizeof err), 0);
    assert_int_equal(images.count, 3);
    for (size_t i = 0; i < THREE_IMAGES; i++)
        assert_int_equal(images.pixels[i], pixel_value(i));
    assert_int_equal(labels.count, 3);
    assert_memory_equal(labels.labels, three_labels, 3);
    mnist_free_images(&images);
    mnist_free_labels(&labels);
}

/* A labels file where images are expected, and the other way round. */
static void test_mnist_rejects_wrong_magic(void **state)
{
    char images_path[256], labels_path[256], err[512];
    scratch_path(images_path, state, "images.gz");
    scratch_path(labels_path, state, "labels.gz");
    write_images(images_path, 3, 28, 28, THREE_IMAGES);
    write_labels(labels_path, 3, three_labels, 3);

    struct mnist_images images;
    assert_int_equal(mnist_load_images(labels_path, &images, err, sizeof err), -1);
    assert_error(err, labels_path, "bad magic number 0x00000801, expected 0x00000803 (an IDX file of images)");
    assert_null(images.pixels);

    struct mnist_labels labels;
    assert_int_equal(mnist_load_labels(images_path, &labels, err, sizeof err), -1);
    assert_error(err, images_path, "bad magic number 0x00000803, expected 0x00000801 (an IDX file of labels)");
    assert_null(labels.labels);
}

static void test_mnist_rejects_wrong_dimensions(void **state)
{
    char path[256], err[512];
    scratch_path(path, state, "images.gz");
    write_images(path, 3, 32, 32, 3 * 32 * 32);
    struct mnist_images images;
    assert_int_equal(mnist_load_images(path, &images, err, sizeof err), -1);
    assert_error(err, path, "images are 32x32, expected 28x28");
}

static void test_mnist_rejects_truncated_data(void **state)
{
    char path[256], err[512];
    scratch_path(path, state, "images.gz");
    write_images(path, 3, 28, 28, 1000);
    struct mnist_images images;
    assert_int_equal(mnist_load_images(path, &images, err, sizeof err), -1);
    assert_error(err, path, "truncated: expected 2352 pixel bytes, got 1000");
}

static void test_mnist_rejects_truncated_header(void **state)
{
    char path[256], err[512];
    scratch_path(path, state, "labels.gz");
    const unsigned char header_start[6] = { 0, 0, 8, 1, 0, 0 };
    write_gz(path, header_start, sizeof header_start);
    struct mnist_labels labels;
    assert_int_equal(mnist_load_labels(path, &labels, err, sizeof err), -1);
    assert_error(err, path, "truncated header: expected 8 bytes, got 6");
}

static void test_mnist_rejects_trailing_bytes(void **state)
{
    char path[256], err[512];
    scratch_path(path, state, "images.gz");
    write_images(path, 3, 28, 28, THREE_IMAGES + 5);
    struct mnist_images images;
    assert_int_equal(mnist_load_images(path, &images, err, sizeof err), -1);
    assert_error(err, path, "trailing garbage: 5 bytes after the 2352 pixel bytes the header declares");
}

static void test_mnist_rejects_a_file_that_is_not_gzip(void **state)
{
    char path[256], err[512];
    scratch_path(path, state, "images.gz");
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    fputs("plain text, not gzip\n", file);
    fclose(file);
    struct mnist_images images;
    assert_int_equal(mnist_load_images(path, &images, err, sizeof err), -1);
    assert_error(err, path, "not a gzip file");
}

/* A .gz cut in the middle of its deflate stream. */
static void test_mnist_rejects_a_truncated_gzip_stream(void **state)
{
    char path[256], err[512];
    scratch_path(path, state, "images.gz");
    unsigned char *noise = malloc(THREE_IMAGES);
    assert_non_null(noise);
    struct test_rng rng = { 42 };
    for (size_t i = 0; i < THREE_IMAGES; i++) /* incompressible, so the .gz is long */
        noise[i] = (unsigned char)test_rng_next(&rng);
    write_gz(path, noise, THREE_IMAGES);
    free(noise);
    assert_int_equal(truncate(path, 1000), 0);
    struct mnist_images images;
    assert_int_equal(mnist_load_images(path, &images, err, sizeof err), -1);
    assert_error(err, path, "bad gzip data: unexpected end of file");
}

static void test_mnist_rejects_a_missing_file(void **state)
{
    char path[256], err[512];
    scratch_path(path, state, "absent.gz");
    struct mnist_labels labels;
    assert_int_equal(mnist_load_labels(path, &labels, err, sizeof err), -1);
    assert_error(err, path, "cannot open: No such file or directory");
}

static void test_mnist_rejects_labels_that_are_not_digits(void **state)
{
    char path[256], err[512];
    scratch_path(path, state, "labels.gz");
    const unsigned char bad[3] = { 3, 12, 4 };
    write_labels(path, 3, bad, 3);
    struct mnist_labels labels;
    assert_int_equal(mnist_load_labels(path, &labels, err, sizeof err), -1);
    assert_error(err, path, "label 12 at index 1 is not a digit 0-9");
}

static void test_mnist_rejects_a_count_mismatch(void **state)
{
    char images_path[256], labels_path[256], err[512], problem[512];
    scratch_path(images_path, state, "images.gz");
    scratch_path(labels_path, state, "labels.gz");
    write_images(images_path, 3, 28, 28, THREE_IMAGES);
    write_labels(labels_path, 2, three_labels, 2);
    struct mnist_images images;
    struct mnist_labels labels;
    assert_int_equal(mnist_load_pair(images_path, labels_path, 0, &images, &labels, err, sizeof err), -1);
    snprintf(problem, sizeof problem, "2 labels, but %s holds 3 images", images_path);
    assert_error(err, labels_path, problem);
    assert_null(images.pixels);
    assert_null(labels.labels);
}

/* The canonical files must hold their canonical number of items. */
static void test_mnist_rejects_an_unexpected_count(void **state)
{
    char images_path[256], labels_path[256], err[512];
    scratch_path(images_path, state, "images.gz");
    scratch_path(labels_path, state, "labels.gz");
    write_images(images_path, 3, 28, 28, THREE_IMAGES);
    write_labels(labels_path, 3, three_labels, 3);
    struct mnist_images images;
    struct mnist_labels labels;
    assert_int_equal(mnist_load_pair(images_path, labels_path, MNIST_TRAIN_COUNT, &images, &labels,
                                     err, sizeof err), -1);
    assert_error(err, images_path, "3 images, expected 60000");
}

static void test_mnist_verify_file_compares_the_uncompressed_digest(void **state)
{
    char path[256], err[512];
    scratch_path(path, state, "abc.gz");
    write_gz(path, "abc", 3);
    const char *abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    const char *other = "0000000000000000000000000000000000000000000000000000000000000000";
    assert_int_equal(mnist_verify_file(path, abc, err, sizeof err), 0);
    assert_int_equal(mnist_verify_file(path, other, err, sizeof err), -1);
    char problem[256];
    snprintf(problem, sizeof problem, "SHA-256 of the uncompressed content is %s, expected %s", abc, other);
    assert_error(err, path, problem);
}

static void test_mnist_rejects_an_unknown_split(void **state)
{
    (void)state;
    char err[512];
    struct mnist_dataset dataset;
    assert_int_equal(mnist_load_dataset("data/mnist", "validation", &dataset, err, sizeof err), -1);
    assert_string_equal(err, "unknown MNIST split 'validation' (use train, test or all)");
}

/* The directory of the real files, or NULL (and the test is skipped). */
static const char *real_data_dir(void)
{
    const char *dir = getenv("DDIM_DATA");
    if (!dir || !*dir)
        dir = "data/mnist";
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, mnist_files[0].name);
    return access(path, R_OK) == 0 ? dir : NULL;
}

static void test_mnist_real_files_are_verified(void **state)
{
    (void)state;
    const char *dir = real_data_dir();
    if (!dir)
        skip();
    for (int i = 0; i < MNIST_FILE_COUNT; i++) {
        char path[512], err[512] = "";
        snprintf(path, sizeof path, "%s/%s", dir, mnist_files[i].name);
        if (mnist_verify_file(path, mnist_files[i].sha256, err, sizeof err) != 0)
            fail_msg("%s", err);
    }
}

/* "all" is train then test; the first labels of each are well known. */
static void test_mnist_real_dataset_loads(void **state)
{
    (void)state;
    const char *dir = real_data_dir();
    if (!dir)
        skip();
    char err[512] = "";
    struct mnist_dataset all;
    if (mnist_load_dataset(dir, "all", &all, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(all.count, MNIST_TRAIN_COUNT + MNIST_TEST_COUNT);
    assert_int_equal(all.labels[0], 5);
    assert_int_equal(all.labels[MNIST_TRAIN_COUNT], 7);
    unsigned char lowest = 255, highest = 0;
    for (size_t i = 0; i < all.count * MNIST_IMAGE_PIXELS; i++) {
        lowest = all.pixels[i] < lowest ? all.pixels[i] : lowest;
        highest = all.pixels[i] > highest ? all.pixels[i] : highest;
    }
    assert_true(lowest == 0 && highest == 255 && highest * MNIST_PIXEL_SCALE == 1.0f);
    mnist_free_dataset(&all);

    struct mnist_dataset test;
    if (mnist_load_dataset(dir, "test", &test, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(test.count, MNIST_TEST_COUNT);
    assert_int_equal(test.labels[0], 7);
    mnist_free_dataset(&test);
}

#define SCRATCH_TEST(f) cmocka_unit_test_setup_teardown(f, make_scratch, remove_scratch)

size_t mnist_tests(struct CMUnitTest *out)
{
    const struct CMUnitTest tests[] = {
        SCRATCH_TEST(test_mnist_reads_good_files),
        SCRATCH_TEST(test_mnist_rejects_wrong_magic),
        SCRATCH_TEST(test_mnist_rejects_wrong_dimensions),
        SCRATCH_TEST(test_mnist_rejects_truncated_data),
        SCRATCH_TEST(test_mnist_rejects_truncated_header),
        SCRATCH_TEST(test_mnist_rejects_trailing_bytes),
        SCRATCH_TEST(test_mnist_rejects_a_file_that_is_not_gzip),
        SCRATCH_TEST(test_mnist_rejects_a_truncated_gzip_stream),
        SCRATCH_TEST(test_mnist_rejects_a_missing_file),
        SCRATCH_TEST(test_mnist_rejects_labels_that_are_not_digits),
        SCRATCH_TEST(test_mnist_rejects_a_count_mismatch),
        SCRATCH_TEST(test_mnist_rejects_an_unexpected_count),
        SCRATCH_TEST(test_mnist_verify_file_compares_the_uncompressed_digest),
        cmocka_unit_test(test_mnist_rejects_an_unknown_split),
        cmocka_unit_test(test_mnist_real_files_are_verified),
        cmocka_unit_test(test_mnist_real_dataset_loads),
    };
    if (out)
        memcpy(out, tests, sizeof tests);
    return sizeof tests / sizeof tests[0];
}

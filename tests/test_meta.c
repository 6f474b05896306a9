/* test_meta: dossier metadata: every fact read from OCR text (number and symbol, place and
 * date, issuing body, type, subject, CCCD and CMND) on Vietnamese administrative text laid
 * out as Nghị định 30/2020 has it and as OCR reads it back (rows across), with what must NOT
 * be taken (cited documents, amounts, phone numbers, dates); field names in English and
 * Vietnamese; sidecar and batch files in JSON and CSV, and their errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "sohoa/meta.h"

static sh_meta m;

static void read_text(const char *text)
{
    sh_meta_free(&m);
    CHECK(sh_meta_from_text(&m, text, 1) == 0);
}

static bool is(const char *field, const char *want)
{
    const char *got = sh_meta_get(&m, field);
    if (want == NULL ? got == NULL : got && strcmp(got, want) == 0)
        return true;
    fprintf(stderr, "  %s: got '%s', want '%s'\n", field, got ? got : "(none)",
            want ? want : "(none)");
    return false;
}

static size_t count(const char *field)
{
    size_t n = 0;
    for (size_t i = 0; i < m.n; i++)
        n += strcmp(m.v[i].field, field) == 0;
    return n;
}

static void test_decision(void)
{
    /* a provincial decision; the header rows read across, as OCR gives them */
    read_text("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
              "TỈNH BẮC GIANG Độc lập - Tự do - Hạnh phúc\n"
              "Số: 05/QĐ-UBND Bắc Giang, ngày 08 tháng 1 năm 2024\n"
              "QUYẾT ĐỊNH\n"
              "Về việc công nhận kết quả số hóa hồ sơ, kết quả giải quyết thủ tục\n"
              "hành chính năm 2024\n"
              "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC GIANG\n"
              "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực\n"
              "hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính;\n"
              "Theo đề nghị của Giám đốc Sở Tư pháp tại Tờ trình số 123/TTr-STP ngày 02 tháng 01 năm 2024.\n");
    CHECK(is(SH_META_NUMBER, "05/QĐ-UBND"));
    CHECK(is(SH_META_ISSUER, "ỦY BAN NHÂN DÂN TỈNH BẮC GIANG"));
    CHECK(is(SH_META_PLACE, "Bắc Giang"));
    CHECK(is(SH_META_DATE, "2024-01-08"));
    CHECK(is(SH_META_TYPE, "QUYẾT ĐỊNH"));
    CHECK(is(SH_META_SUBJECT, "Về việc công nhận kết quả số hóa hồ sơ, kết quả giải quyết thủ tục "
                              "hành chính năm 2024"));
    CHECK(count(SH_META_NUMBER) == 1 && count(SH_META_DATE) == 1); /* the cited ones are not its own */
}

static void test_plan_and_bare_number(void)
{
    /* "3/KH-UBND" without "Số:", a commune, the date with a leading zero */
    read_text("ỦY BAN NHÂN DÂN\nXÃ TAM GIANG\n3/KH-UBND\n"
              "Tam Giang, ngày 05 tháng 02 năm 2025\n"
              "KẾ HOẠCH\n"
              "Triển khai số hóa hồ sơ, kết quả giải quyết thủ tục hành chính năm 2025\n"
              "I. MỤC ĐÍCH, YÊU CẦU\n");
    CHECK(is(SH_META_NUMBER, "3/KH-UBND"));
    CHECK(is(SH_META_TYPE, "KẾ HOẠCH"));
    CHECK(is(SH_META_DATE, "2025-02-05"));
    CHECK(is(SH_META_PLACE, "Tam Giang"));
    CHECK(is(SH_META_ISSUER, "ỦY BAN NHÂN DÂN XÃ TAM GIANG"));
    CHECK(is(SH_META_SUBJECT, "Triển khai số hóa hồ sơ, kết quả giải quyết thủ tục hành chính năm 2025"));
}

static void test_letter(void)
{
    /* a công văn: agency-unit number, no title, "V/v" wrapped onto a capital letter */
    read_text("UBND TỈNH BẮC NINH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
              "SỞ TƯ PHÁP Độc lập - Tự do - Hạnh phúc\n"
              "Số: 1234/STP-HCTP Bắc Ninh, ngày 17 tháng 9 năm 2024\n"
              "V/v cung cấp thông tin phục vụ cấp\n"
              "Giấy chứng nhận quyền sử dụng đất\n"
              "Kính gửi: Ủy ban nhân dân các huyện, thị xã, thành phố.\n"
              "Sở Tư pháp đề nghị các đơn vị cung cấp thông tin.\n");
    CHECK(is(SH_META_NUMBER, "1234/STP-HCTP"));
    CHECK(is(SH_META_ISSUER, "UBND TỈNH BẮC NINH SỞ TƯ PHÁP"));
    CHECK(is(SH_META_TYPE, "CÔNG VĂN"));
    CHECK(is(SH_META_SUBJECT, "cung cấp thông tin phục vụ cấp Giấy chứng nhận quyền sử dụng đất"));
    CHECK(is(SH_META_DATE, "2024-09-17"));
    /* a number with the agency's unit: công văn by its symbol alone */
    read_text("ỦY BAN NHÂN DÂN\nHUYỆN YÊN PHONG\nSố: 88/UBND-VP\n");
    CHECK(is(SH_META_NUMBER, "88/UBND-VP") && is(SH_META_TYPE, "CÔNG VĂN"));
    /* the kind from the symbol when OCR lost the title */
    read_text("Số: 41/TB-UBND Hòa Tiến, ngày 3 tháng 12 năm 2023\n");
    CHECK(is(SH_META_TYPE, "THÔNG BÁO") && is(SH_META_PLACE, "Hòa Tiến"));
}

static void test_certificate_and_ids(void)
{
    read_text("UBND TỈNH THANH HÓA CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
              "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG Độc lập - Tự do - Hạnh phúc\n"
              "Số: 27/GCN Thanh Hóa, ngày 30 tháng 6 năm 2025\n"
              "GIẤY CHỨNG NHẬN\n"
              "Hoàn thành khóa tập huấn kỹ năng số hóa tài liệu\n"
              "Cấp cho ông Lê Minh Khải, số định danh cá nhân: 038085001234\n"
              "Số CMND cũ: 172345678; điện thoại 0912 345 678\n"
              "Kinh phí hỗ trợ: 450.000.000 đồng; mã hồ sơ H38.12-250630-0042\n"
              "Tài khoản 1234567890123; ngày cấp 12/05/2021\n");
    CHECK(is(SH_META_TYPE, "GIẤY CHỨNG NHẬN"));
    CHECK(is(SH_META_NUMBER, "27/GCN"));
    CHECK(is(SH_META_ISSUER, "UBND TỈNH THANH HÓA TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"));
    CHECK(is(SH_META_SUBJECT, "Hoàn thành khóa tập huấn kỹ năng số hóa tài liệu"));
    CHECK(is(SH_META_CCCD, "038085001234") && count(SH_META_CCCD) == 1);
    CHECK(is(SH_META_CMND, "172345678") && count(SH_META_CMND) == 1);
    /* marital status: its own kind; the "Xét đề nghị" line is not the subject */
    read_text("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
              "XÃ ĐÔNG PHONG Độc lập - Tự do - Hạnh phúc\n"
              "Số: 15/XNTTHN Đông Phong, ngày 14 tháng 3 năm 2024\n"
              "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN\n"
              "Xét đề nghị của ông (bà) Phạm Thị Hương về việc cấp Giấy xác nhận tình trạng hôn nhân,\n"
              "Giấy tờ tùy thân: Căn cước công dân số 027303001122, cấp ngày 05/08/2021\n");
    CHECK(is(SH_META_TYPE, "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"));
    CHECK(is(SH_META_SUBJECT, NULL));
    CHECK(is(SH_META_ISSUER, "ỦY BAN NHÂN DÂN XÃ ĐÔNG PHONG"));
    CHECK(is(SH_META_CCCD, "027303001122"));
    CHECK(is(SH_META_PLACE, "Đông Phong"));
}

static void test_application_and_noise(void)
{
    /* a citizen's application: motto only, the date at the signature, no number */
    read_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
              "ĐƠN ĐỀ NGHỊ\nCấp bản sao trích lục khai sinh\n"
              "Kính gửi: Ủy ban nhân dân xã Xuân Lâm, huyện Thọ Xuân.\n"
              "Tôi tên là: Nguyễn Thị Mỹ Duyên\nSố định danh cá nhân: 038199012345\n"
              "Xuân Lâm, ngày 2 tháng 10 năm 2024\nNGƯỜI LÀM ĐƠN\n");
    CHECK(is(SH_META_TYPE, "ĐƠN ĐỀ NGHỊ"));
    CHECK(is(SH_META_SUBJECT, "Cấp bản sao trích lục khai sinh"));
    CHECK(is(SH_META_NUMBER, NULL) && is(SH_META_ISSUER, NULL));
    CHECK(is(SH_META_DATE, "2024-10-02") && is(SH_META_PLACE, "Xuân Lâm"));
    CHECK(is(SH_META_CCCD, "038199012345"));
    /* body text only: a continuation page says nothing about the document's header */
    read_text("III. TỔ CHỨC THỰC HIỆN\nCăn cứ Luật Đất đai ngày 18 tháng 01 năm 2024 và Nghị định "
              "số 30/2020/NĐ-CP;\nsố tiền 1.250.000 đồng, tháng 13 năm 2024, ngày 32 tháng 1 năm 2024\n");
    CHECK(m.n == 0);
    /* odd input never fails */
    read_text("");
    read_text("\n\n\f");
    read_text("Số:\nSố: /\nSố: 5/\n, ngày tháng năm\n\xff\xfe garbage");
    CHECK(is(SH_META_NUMBER, NULL));
}

static void test_field_names(void)
{
    char f[64];
    static const char *const cases[][2] = {
        {"Mã hồ sơ", SH_META_DOSSIER_CODE}, {"ma_ho_so", SH_META_DOSSIER_CODE},
        {"MÃ TTHC", SH_META_PROCEDURE}, {"Mã định danh", SH_META_APPLICANT},
        {"procedure_code", SH_META_PROCEDURE}, {"Tên giấy tờ", SH_META_DOC_NAME},
        {"Thời hạn bảo quản", SH_META_RETENTION}, {"Mức độ tin cậy", SH_META_RELIABILITY},
        {"Mã hồ sơ gốc giấy", SH_META_PAPER_CODE}, {"Số tờ", SH_META_SHEETS},
        {"Số trang", SH_META_PAGE_COUNT}, {"Ngôn ngữ", SH_META_LANGUAGE},
        {"Từ khóa", SH_META_KEYWORDS}, {"Tiêu đề", SH_META_TITLE}, {"Ghi chú", "notes"},
        {"Some-Other Key", "some_other_key"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sh_meta_field_name(cases[i][0], f, sizeof f);
        CHECK(strcmp(f, cases[i][1]) == 0);
        if (strcmp(f, cases[i][1]) != 0)
            fprintf(stderr, "  '%s' -> '%s'\n", cases[i][0], f);
    }
    char *s = sh_fold("NGƯỜI ĐỨNG ĐẦU Đức");
    CHECK(s && strcmp(s, "nguoi dung dau duc") == 0);
    free(s);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_files(const char *dir)
{
    char in[512], side[512], batch[512];
    sh_error err = {0};

    /* a JSON sidecar, Vietnamese keys, NFD values, an ID with spaces, a keyword list */
    snprintf(in, sizeof in, "%s/D0001.tif", dir);
    snprintf(side, sizeof side, "%s/D0001.json", dir);
    write_file(in, "II*");
    write_file(side, "{\"Mã hồ sơ\": \"H38.12-250630-0042\", \"ma_tthc\": \"1.001612\","
                     " \"Mã định danh\": \"038 085 001 234\", \"tieu_de\": \"Ho\xcc\x82\xcc\x80 so\xcc\x9b\","
                     " \"tu_khoa\": [\"hộ tịch\", \"khai sinh\"], \"so_to\": 3, \"note\": null}");
    sh_meta_free(&m);
    CHECK(sh_meta_sidecar(in, &m, &err) == 1);
    CHECK(is(SH_META_DOSSIER_CODE, "H38.12-250630-0042") && is(SH_META_PROCEDURE, "1.001612"));
    CHECK(is(SH_META_APPLICANT, "038085001234"));
    CHECK(is(SH_META_TITLE, "Hồ sơ")); /* NFC */
    CHECK(is(SH_META_KEYWORDS, "hộ tịch; khai sinh") && is(SH_META_SHEETS, "3"));
    CHECK(m.n == 6 && m.v[0].page == 0);

    /* a CSV sidecar beside a folder input, ';' as a Vietnamese spreadsheet writes it */
    snprintf(in, sizeof in, "%s/HS-02/", dir);
    snprintf(side, sizeof side, "%s/HS-02.csv", dir);
    write_file(side, "\xEF\xBB\xBFMã hồ sơ;Tên giấy tờ;Ghi chú\r\n"
                     "HS-02;\"Giấy khai sinh; bản sao\";\"dòng \"\"một\"\"\"\r\n");
    sh_meta_free(&m);
    CHECK(sh_meta_sidecar(in, &m, &err) == 1);
    CHECK(is(SH_META_DOSSIER_CODE, "HS-02") && is(SH_META_DOC_NAME, "Giấy khai sinh; bản sao"));
    CHECK(is("notes", "dòng \"một\""));
    /* or inside the folder */
    snprintf(in, sizeof in, "%s/HS-03", dir);
    mkdir(in, 0755);
    snprintf(side, sizeof side, "%s/HS-03/meta.json", dir);
    write_file(side, "{\"mã hồ sơ\": \"HS-03\"}");
    sh_meta_free(&m);
    CHECK(sh_meta_sidecar(in, &m, &err) == 1 && is(SH_META_DOSSIER_CODE, "HS-03"));
    snprintf(in, sizeof in, "%s/nothing.tif", dir);
    sh_meta_free(&m);
    CHECK(sh_meta_sidecar(in, &m, &err) == 0 && m.n == 0);

    /* a batch as CSV: rows matched by path, base name or stem */
    snprintf(batch, sizeof batch, "%s/batch.csv", dir);
    write_file(batch, "file,ma_ho_so,ma_dinh_danh\n"
                      "scans/D0001.tif,HS-1,001234567890\n"
                      "D0002,HS-2,001234567891\n\n"
                      "/abs/D0003.tif,HS-3,\n");
    sh_metafile *f = sh_metafile_read(batch, &err);
    CHECK(f != NULL);
    sh_meta_free(&m);
    CHECK(f && sh_metafile_lookup(f, "/other/place/D0001.tif", &m) == 1 && is(SH_META_DOSSIER_CODE, "HS-1"));
    sh_meta_free(&m);
    CHECK(f && sh_metafile_lookup(f, "in/D0002.tif", &m) == 1 && is(SH_META_APPLICANT, "001234567891"));
    sh_meta_free(&m);
    CHECK(f && sh_metafile_lookup(f, "/abs/D0003.tif", &m) == 1 && is(SH_META_APPLICANT, NULL));
    sh_meta_free(&m);
    CHECK(f && sh_metafile_lookup(f, "D0009.tif", &m) == 0 && m.n == 0);
    sh_metafile_free(f);

    /* a batch as JSON, both shapes */
    snprintf(batch, sizeof batch, "%s/batch.json", dir);
    write_file(batch, "[{\"file\": \"D0001.tif\", \"mã TTHC\": \"2.000001\"},"
                      " {\"file\": \"D0002.tif\", \"mã TTHC\": \"2.000002\"}]");
    f = sh_metafile_read(batch, &err);
    sh_meta_free(&m);
    CHECK(f && sh_metafile_lookup(f, "x/D0002.tif", &m) == 1 && is(SH_META_PROCEDURE, "2.000002"));
    sh_metafile_free(f);
    write_file(batch, "{\"D0001.tif\": {\"mã TTHC\": \"3.1\"}, \"D0002.tif\": {\"mã TTHC\": \"3.2\"}}");
    f = sh_metafile_read(batch, &err);
    sh_meta_free(&m);
    CHECK(f && sh_metafile_lookup(f, "D0001.tif", &m) == 1 && is(SH_META_PROCEDURE, "3.1"));
    sh_metafile_free(f);

    /* errors: a sentence naming the file, never a crash */
    write_file(batch, "{\"ma_ho_so\": \"HS-1\",");
    sh_error_clear(&err);
    CHECK(sh_metafile_read(batch, &err) == NULL && err.code == SH_EFORMAT && strstr(err.msg, "batch.json"));
    write_file(batch, "{\"ma_ho_so\": {\"nested\": 1}, \"x\": 2}");
    CHECK(sh_metafile_read(batch, &err) == NULL && err.code == SH_EFORMAT);
    snprintf(batch, sizeof batch, "%s/bad.csv", dir);
    write_file(batch, "file,ma_ho_so\nD1,\"never closed\n");
    CHECK(sh_metafile_read(batch, &err) == NULL && err.code == SH_EFORMAT);
    write_file(batch, "file,ma_ho_so\nD1,HS,extra\n");
    CHECK(sh_metafile_read(batch, &err) == NULL && err.code == SH_EFORMAT);
    snprintf(batch, sizeof batch, "%s/missing.csv", dir);
    CHECK(sh_metafile_read(batch, &err) == NULL && err.code == SH_EIO);
    /* a sidecar that is broken fails its dossier */
    snprintf(in, sizeof in, "%s/D0005.tif", dir);
    snprintf(side, sizeof side, "%s/D0005.tif.json", dir);
    write_file(side, "[1, 2]");
    CHECK(sh_meta_sidecar(in, &m, &err) == -1 && err.code == SH_EFORMAT);
}

int main(void)
{
    char dir[] = "/tmp/sohoa-meta.XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    test_decision();
    test_plan_and_bare_number();
    test_letter();
    test_certificate_and_ids();
    test_application_and_noise();
    test_field_names();
    test_files(dir);
    sh_meta_free(&m);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_report();
}

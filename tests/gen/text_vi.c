/* text_vi.c: the Vietnamese administrative text sohoa-gen draws from: places, names and the
 * paragraphs of decisions, plans, official letters, certificates, applications and notices.
 * All NFC UTF-8 (precomposed letters only), so ground truth needs no normalising. {KEY} is
 * filled in by doc.c; a paragraph never names anything real. */
#include "gen.h"

const vi_province vi_provinces[10] = {
    {{"Bắc Ninh", "BẮC NINH"}, "027",
     {{"Yên Phong", "YÊN PHONG"}, {"Tiên Du", "TIÊN DU"}, {"Quế Võ", "QUẾ VÕ"}, {"Thuận Thành", "THUẬN THÀNH"}}},
    {{"Bắc Giang", "BẮC GIANG"}, "024",
     {{"Lục Ngạn", "LỤC NGẠN"}, {"Yên Dũng", "YÊN DŨNG"}, {"Hiệp Hòa", "HIỆP HÒA"}, {"Lạng Giang", "LẠNG GIANG"}}},
    {{"Thái Bình", "THÁI BÌNH"}, "034",
     {{"Quỳnh Phụ", "QUỲNH PHỤ"}, {"Hưng Hà", "HƯNG HÀ"}, {"Kiến Xương", "KIẾN XƯƠNG"}, {"Vũ Thư", "VŨ THƯ"}}},
    {{"Nghệ An", "NGHỆ AN"}, "040",
     {{"Diễn Châu", "DIỄN CHÂU"}, {"Quỳnh Lưu", "QUỲNH LƯU"}, {"Nghi Lộc", "NGHI LỘC"}, {"Đô Lương", "ĐÔ LƯƠNG"}}},
    {{"Quảng Ngãi", "QUẢNG NGÃI"}, "051",
     {{"Bình Sơn", "BÌNH SƠN"}, {"Sơn Tịnh", "SƠN TỊNH"}, {"Tư Nghĩa", "TƯ NGHĨA"}, {"Mộ Đức", "MỘ ĐỨC"}}},
    {{"Đắk Lắk", "ĐẮK LẮK"}, "066",
     {{"Krông Pắc", "KRÔNG PẮC"}, {"Ea Kar", "EA KAR"}, {"Lắk", "LẮK"}, {"Buôn Đôn", "BUÔN ĐÔN"}}},
    {{"Hải Dương", "HẢI DƯƠNG"}, "030",
     {{"Cẩm Giàng", "CẨM GIÀNG"}, {"Gia Lộc", "GIA LỘC"}, {"Thanh Miện", "THANH MIỆN"}, {"Kim Thành", "KIM THÀNH"}}},
    {{"Thanh Hóa", "THANH HÓA"}, "038",
     {{"Hoằng Hóa", "HOẰNG HÓA"}, {"Quảng Xương", "QUẢNG XƯƠNG"}, {"Thọ Xuân", "THỌ XUÂN"}, {"Nông Cống", "NÔNG CỐNG"}}},
    {{"Vĩnh Phúc", "VĨNH PHÚC"}, "026",
     {{"Tam Dương", "TAM DƯƠNG"}, {"Yên Lạc", "YÊN LẠC"}, {"Lập Thạch", "LẬP THẠCH"}, {"Bình Xuyên", "BÌNH XUYÊN"}}},
    {{"Hà Tĩnh", "HÀ TĨNH"}, "042",
     {{"Kỳ Anh", "KỲ ANH"}, {"Cẩm Xuyên", "CẨM XUYÊN"}, {"Hương Khê", "HƯƠNG KHÊ"}, {"Đức Thọ", "ĐỨC THỌ"}}},
};

const vi_pair vi_communes[16] = {
    {"Đông Phong", "ĐÔNG PHONG"}, {"Tam Giang", "TAM GIANG"}, {"Hòa Tiến", "HÒA TIẾN"},
    {"Nghĩa Đạo", "NGHĨA ĐẠO"}, {"Xuân Lâm", "XUÂN LÂM"}, {"Tân Chi", "TÂN CHI"},
    {"Quang Trung", "QUANG TRUNG"}, {"Đại Đồng", "ĐẠI ĐỒNG"}, {"Thụy Hòa", "THỤY HÒA"},
    {"Mỹ Hương", "MỸ HƯƠNG"}, {"Yên Trung", "YÊN TRUNG"}, {"Hợp Thịnh", "HỢP THỊNH"},
    {"Ngọc Sơn", "NGỌC SƠN"}, {"Phú Lâm", "PHÚ LÂM"}, {"Đức Thắng", "ĐỨC THẮNG"}, {"Cẩm Vũ", "CẨM VŨ"},
};

const char *const vi_villages[10] = {
    "thôn Đông Xá", "thôn Ấp Đồn", "thôn Trung Hòa", "xóm Chùa", "thôn Phú Mỹ",
    "tổ dân phố Nam Sơn", "thôn Đoài", "xóm Bến", "thôn Hạ Lũng", "thôn Quỳnh Khê",
};

const char *const vi_family[16] = {
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ",
    "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
};
const char *const vi_middle_m[8] = {"Văn", "Đức", "Minh", "Quốc", "Hữu", "Xuân", "Thanh", "Công"};
const char *const vi_middle_f[8] = {"Thị", "Ngọc", "Thu", "Thanh", "Thị Mỹ", "Hồng", "Kim", "Thùy"};
const char *const vi_given_m[16] = {
    "Đức", "Hùng", "Dũng", "Tuấn", "Thắng", "Khải", "Tường", "Vỹ",
    "Hiển", "Lộc", "Quyết", "Bắc", "Cường", "Nghĩa", "Sỹ", "Phước",
};
const char *const vi_given_f[16] = {
    "Lan", "Hương", "Phượng", "Nguyệt", "Quỳnh", "Yến", "Duyên", "Hằng",
    "Thảo", "Nhung", "Loan", "Trang", "Ngữ", "Liễu", "Hiền", "Xuân",
};

/* Decisions: the legal bases, who proposed, what is decided. */
const char *const vi_bases[8] = {
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung "
    "một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng "
    "11 năm 2019;",
    "Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024 và các văn bản quy định chi tiết thi hành;",
    "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện cơ "
    "chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08 tháng 4 năm 2020 của Chính phủ về thực hiện thủ "
    "tục hành chính trên môi trường điện tử;",
    "Căn cứ Thông tư số 01/2023/TT-VPCP ngày 05 tháng 4 năm 2023 của Văn phòng Chính phủ quy định "
    "một số nội dung và biện pháp thi hành trong số hóa hồ sơ, kết quả giải quyết thủ tục hành "
    "chính và thực hiện thủ tục hành chính trên môi trường điện tử;",
    "Căn cứ Luật Hộ tịch ngày 20 tháng 11 năm 2014 và Nghị định số 123/2015/NĐ-CP ngày 15 tháng 11 "
    "năm 2015 của Chính phủ quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch;",
    "Căn cứ Luật Cư trú ngày 13 tháng 11 năm 2020 và Luật Căn cước ngày 27 tháng 11 năm 2023;",
};

const char *const vi_proposals[3] = {
    "Theo đề nghị của Giám đốc Sở Tư pháp tại Tờ trình số {SO2}/TTr-STP {NGAY2}.",
    "Theo đề nghị của Trưởng phòng Tài nguyên và Môi trường huyện {H} tại Tờ trình số "
    "{SO2}/TTr-TNMT {NGAY2}.",
    "Xét đề nghị của Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân {HCAP} và hồ sơ kèm theo.",
};

const vi_decision vi_decisions[5] = {
    {"Về việc công nhận kết quả số hóa hồ sơ, kết quả giải quyết thủ tục hành chính năm {NAM}",
     "Điều 1. Công nhận kết quả số hóa {SOHS} hồ sơ, kết quả giải quyết thủ tục hành chính còn "
     "hiệu lực tại Bộ phận Một cửa {HCAP}, trong đó có {SOHS2} hồ sơ đã được ký số và cập nhật vào "
     "Kho quản lý dữ liệu điện tử của tổ chức, cá nhân trên Cổng Dịch vụ công quốc gia.",
     "Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Giao Văn phòng Hội đồng nhân dân và Ủy ban "
     "nhân dân chủ trì, phối hợp với các cơ quan, đơn vị liên quan hướng dẫn, kiểm tra việc thực "
     "hiện; định kỳ báo cáo kết quả về Ủy ban nhân dân trước ngày 15 của tháng cuối quý."},
    {"Về việc giao đất ở cho hộ gia đình, cá nhân tại xã {XA}",
     "Điều 1. Giao {DT} m² đất ở tại thửa đất số {THUA}, tờ bản đồ số {TO}, {DIACHI} cho ông (bà) "
     "{TEN}, số định danh cá nhân {CCCD}, để sử dụng vào mục đích đất ở tại nông thôn. Thời hạn "
     "sử dụng đất: lâu dài. Hình thức giao đất: giao đất có thu tiền sử dụng đất.",
     "Điều 2. Ông (bà) {TEN} có trách nhiệm nộp tiền sử dụng đất, lệ phí trước bạ theo thông báo "
     "của cơ quan thuế; đăng ký đất đai và nhận Giấy chứng nhận quyền sử dụng đất, quyền sở hữu "
     "nhà ở và tài sản khác gắn liền với đất tại Bộ phận Một cửa theo quy định."},
    {"Về việc thành lập Tổ công tác triển khai Đề án 06 trên địa bàn {HCAP}",
     "Điều 1. Thành lập Tổ công tác triển khai Đề án phát triển ứng dụng dữ liệu về dân cư, định "
     "danh và xác thực điện tử phục vụ chuyển đổi số quốc gia (gọi tắt là Tổ công tác Đề án 06), "
     "gồm các ông, bà có tên sau đây: ông {TEN}, Phó Chủ tịch Ủy ban nhân dân, Tổ trưởng; bà "
     "{TEN2}, Trưởng Công an xã, Tổ phó thường trực; ông {TEN3}, công chức Tư pháp - Hộ tịch, "
     "thành viên.",
     "Điều 2. Tổ công tác có nhiệm vụ rà soát, làm sạch dữ liệu dân cư; hướng dẫn người dân kích "
     "hoạt tài khoản định danh điện tử mức độ 2; hỗ trợ tổ chức, cá nhân nộp hồ sơ trực tuyến; "
     "tổng hợp khó khăn, vướng mắc và đề xuất biện pháp tháo gỡ. Tổ công tác tự giải thể sau khi "
     "hoàn thành nhiệm vụ."},
    {"Về việc phê duyệt danh mục thủ tục hành chính tiếp nhận hồ sơ không phụ thuộc vào địa "
     "giới hành chính",
     "Điều 1. Phê duyệt kèm theo Quyết định này danh mục gồm {N} thủ tục hành chính thuộc thẩm "
     "quyền giải quyết của {CQ} được tiếp nhận hồ sơ không phụ thuộc vào địa giới hành chính trong "
     "phạm vi tỉnh {P}.",
     "Điều 2. Tổ chức, cá nhân có thể nộp hồ sơ tại bất kỳ Bộ phận Một cửa nào trong tỉnh; hồ sơ "
     "giấy được chuyển qua dịch vụ bưu chính công ích, bản điện tử đã ký số có giá trị như bản "
     "chính và được chuyển ngay trên Hệ thống thông tin giải quyết thủ tục hành chính."},
    {"Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc trong công tác cải cách hành chính",
     "Điều 1. Tặng Giấy khen cho 03 tập thể và 05 cá nhân có thành tích xuất sắc trong công tác cải "
     "cách hành chính, chuyển đổi số năm {NAM}, trong đó có ông {TEN}, công chức Văn phòng - Thống "
     "kê, và bà {TEN2}, công chức Địa chính - Xây dựng.",
     "Điều 2. Kèm theo Giấy khen, mỗi tập thể được thưởng 1.500.000 đồng, mỗi cá nhân được thưởng "
     "750.000 đồng, trích từ Quỹ thi đua, khen thưởng năm {NAM} của {CQ}. Đặc biệt biểu dương "
     "những sáng kiến giúp rút ngắn thời gian giải quyết hồ sơ cho người dân."},
};

const char *const vi_art3[2] = {
    "Điều 3. Chánh Văn phòng Ủy ban nhân dân, Thủ trưởng các cơ quan, đơn vị có liên quan và các "
    "ông, bà có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
    "Điều 3. Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân, Trưởng phòng Tài nguyên và Môi "
    "trường, Chi cục trưởng Chi cục Thuế khu vực, Chủ tịch Ủy ban nhân dân xã {XA} và ông (bà) "
    "{TEN} căn cứ Quyết định thi hành./.",
};

/* Plans: purpose, requirements, the tasks (numbered by doc.c), who does what. */
const char *const vi_plan_purpose[3] = {
    "Số hóa toàn bộ hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực đang lưu trữ tại Bộ "
    "phận Một cửa, bảo đảm tài liệu điện tử có giá trị pháp lý như bản chính, được tái sử dụng "
    "khi tổ chức, cá nhân thực hiện thủ tục hành chính khác, không phải nộp lại giấy tờ đã được số "
    "hóa.",
    "Nâng cao trách nhiệm của cán bộ, công chức, viên chức trong việc tiếp nhận, giải quyết và trả "
    "kết quả; giảm thời gian đi lại, chi phí tuân thủ của người dân và doanh nghiệp; phấn đấu đến "
    "hết năm {NAM} có ít nhất 80% hồ sơ được giải quyết đúng hạn và trước hạn.",
    "Tạo chuyển biến rõ nét về kỷ luật, kỷ cương hành chính; lấy sự hài lòng của người dân, doanh "
    "nghiệp làm thước đo chất lượng phục vụ của cơ quan hành chính các cấp.",
};

const char *const vi_plan_require[2] = {
    "Việc số hóa phải được thực hiện đúng quy trình: phân loại, làm sạch tài liệu, quét ảnh với độ "
    "phân giải tối thiểu 200 dpi, nhận dạng ký tự, ký số và lưu trữ theo quy định; bảo đảm an toàn, "
    "bảo mật thông tin cá nhân của công dân trong suốt quá trình xử lý.",
    "Các cơ quan, đơn vị phân công rõ người phụ trách, thời hạn hoàn thành từng nội dung; kịp thời "
    "báo cáo những khó khăn, vướng mắc phát sinh để được hướng dẫn, giải quyết.",
};

const vi_plan vi_plans[3] = {
    {"Triển khai số hóa hồ sơ, kết quả giải quyết thủ tục hành chính năm {NAM}",
     {"Rà soát, thống kê số lượng hồ sơ cần số hóa theo từng lĩnh vực: hộ tịch, chứng thực, đất "
      "đai, xây dựng, lao động - thương binh và xã hội. Thời gian hoàn thành: trước ngày 30 tháng 4 "
      "năm {NAM}.",
      "Bố trí máy quét, máy tính và đường truyền bảo đảm cho Bộ phận Một cửa; cấp chứng thư số cho "
      "công chức trực tiếp thực hiện ký số kết quả số hóa. Kinh phí thực hiện từ nguồn ngân sách "
      "được giao năm {NAM}, dự kiến {SOTIEN} đồng.",
      "Tổ chức tập huấn kỹ năng số hóa, kiểm tra chất lượng bản quét và nhập dữ liệu đặc tả cho "
      "công chức văn phòng, tư pháp - hộ tịch, địa chính - xây dựng; mỗi lớp không quá 30 học viên, "
      "thời gian 02 ngày."}},
    {"Thực hiện cải cách hành chính và nâng cao chỉ số hài lòng của người dân năm {NAM}",
     {"Duy trì hoạt động của Bộ phận Một cửa từ thứ Hai đến sáng thứ Bảy hằng tuần; niêm yết công "
      "khai, đầy đủ thủ tục hành chính, phí, lệ phí và số điện thoại đường dây nóng {PHONE} để tiếp "
      "nhận phản ánh, kiến nghị của người dân.",
      "Khảo sát ý kiến người dân sau mỗi lần giao dịch bằng phiếu giấy và mã QR; tổng hợp kết quả "
      "hằng quý, công khai những nội dung người dân chưa hài lòng và biện pháp khắc phục.",
      "Xử lý nghiêm cán bộ, công chức gây phiền hà, sách nhiễu hoặc để hồ sơ quá hạn mà không có "
      "văn bản xin lỗi người dân; kết quả đánh giá là căn cứ xếp loại thi đua cuối năm."}},
    {"Tuyên truyền, hướng dẫn người dân sử dụng dịch vụ công trực tuyến toàn trình",
     {"Tuyên truyền trên hệ thống truyền thanh cơ sở, trang thông tin điện tử và các nhóm Zalo của "
      "thôn, tổ dân phố để người dân biết, chủ động sử dụng giấy tờ điện tử đã được số hóa khi làm "
      "thủ tục.",
      "Hướng dẫn người dân tạo tài khoản trên Cổng Dịch vụ công quốc gia bằng tài khoản định danh "
      "điện tử VNeID; thực hiện thanh toán trực tuyến phí, lệ phí và nhận kết quả qua dịch vụ bưu "
      "chính công ích.",
      "Thành lập tổ công nghệ số cộng đồng ở mỗi thôn, gồm đoàn viên thanh niên và công an viên, "
      "trực tiếp đến từng hộ gia đình hỗ trợ người cao tuổi, người khuyết tật nộp hồ sơ trực tuyến."}},
};

const char *const vi_plan_org[2] = {
    "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân chủ trì, phối hợp với công chức các lĩnh vực tổ "
    "chức thực hiện Kế hoạch này; định kỳ hằng tháng tổng hợp kết quả, báo cáo Chủ tịch Ủy ban "
    "nhân dân trước ngày 20.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời phản ánh "
    "về Văn phòng để tổng hợp, báo cáo Ủy ban nhân dân xem xét, điều chỉnh cho phù hợp./.",
};

/* Official letters (công văn): the subject line under the number, addressees, body. */
const vi_letter vi_letters[3] = {
    {"V/v đôn đốc số hóa hồ sơ thủ tục hành chính",
     {"Ủy ban nhân dân các xã, thị trấn;", "Các phòng, ban chuyên môn thuộc huyện.", NULL},
     {"Thực hiện Kế hoạch số {SO2}/KH-UBND {NGAY2} của Ủy ban nhân dân tỉnh về triển khai số hóa "
      "hồ sơ, kết quả giải quyết thủ tục hành chính, đến nay tỷ lệ hồ sơ được số hóa trên địa bàn "
      "mới đạt {PT}%, thấp hơn nhiều so với chỉ tiêu được giao.",
      "Để bảo đảm hoàn thành nhiệm vụ đúng tiến độ, Ủy ban nhân dân huyện đề nghị các cơ quan, đơn "
      "vị khẩn trương rà soát, bổ sung trang thiết bị, phân công công chức thực hiện số hóa ngay khi "
      "tiếp nhận hồ sơ; không để tồn đọng hồ sơ chưa số hóa quá 03 ngày làm việc.",
      "Ủy ban nhân dân huyện yêu cầu Thủ trưởng các cơ quan, đơn vị nghiêm túc triển khai thực hiện; "
      "kết quả báo cáo về Ủy ban nhân dân huyện (qua Văn phòng Hội đồng nhân dân và Ủy ban nhân "
      "dân) trước {NGAY3} để tổng hợp, báo cáo Ủy ban nhân dân tỉnh./.",
      NULL}},
    {"V/v xác minh thông tin cư trú của công dân",
     {"Công an huyện {H}.", NULL, NULL},
     {"Ủy ban nhân dân xã {XA} nhận được đơn đề nghị của ông (bà) {TEN}, sinh ngày {NGAYSINH}, số "
      "định danh cá nhân {CCCD}, hiện cư trú tại {DIACHI}, về việc xác nhận thông tin cư trú để "
      "hoàn thiện hồ sơ đăng ký biến động đất đai.",
      "Để có cơ sở giải quyết theo quy định, Ủy ban nhân dân xã đề nghị Công an huyện {H} phối hợp "
      "xác minh, cung cấp thông tin về nơi thường trú, quá trình thay đổi nơi cư trú của công dân "
      "nêu trên trước {NGAY3}.",
      "Nội dung xác minh xin gửi về Ủy ban nhân dân xã qua Bộ phận Một cửa hoặc qua hệ thống quản "
      "lý văn bản và điều hành; người liên hệ: ông {TEN2}, công chức Tư pháp - Hộ tịch, số điện "
      "thoại {PHONE}.",
      "Rất mong nhận được sự phối hợp của Quý cơ quan./."}},
    {"V/v cung cấp thông tin phục vụ cấp Giấy chứng nhận quyền sử dụng đất",
     {"Văn phòng đăng ký đất đai tỉnh {P};", "Chi cục Thuế khu vực {H}.", NULL},
     {"Ủy ban nhân dân huyện {H} đang giải quyết hồ sơ đề nghị cấp Giấy chứng nhận quyền sử dụng "
      "đất của hộ ông {TEN} đối với thửa đất số {THUA}, tờ bản đồ số {TO}, diện tích {DT} m², tại "
      "{DIACHI}.",
      "Qua kiểm tra, hồ sơ địa chính lưu trữ chưa thể hiện đầy đủ nguồn gốc, thời điểm sử dụng đất "
      "và nghĩa vụ tài chính đã thực hiện. Đề nghị các cơ quan cung cấp bản sao sổ mục kê, sổ địa "
      "chính và chứng từ nộp tiền liên quan đến thửa đất nêu trên.",
      "Thông tin đề nghị gửi về Phòng Tài nguyên và Môi trường huyện trước {NGAY3} để kịp trình "
      "cấp có thẩm quyền xem xét, quyết định theo đúng thời hạn quy định./.",
      NULL}},
};

/* Certificates: fields, then a closing paragraph. */
const vi_certificate vi_certificates[2] = {
    {"GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", NULL,
     "Xét đề nghị của ông (bà) {TEN} về việc cấp Giấy xác nhận tình trạng hôn nhân,",
     {"Họ, chữ đệm, tên: {TEN}", "Ngày, tháng, năm sinh: {NGAYSINH}",
      "Giới tính: {GT}; Dân tộc: Kinh; Quốc tịch: Việt Nam",
      "Giấy tờ tùy thân: Căn cước công dân số {CCCD}, cấp ngày {NGAYCAP}, nơi cấp: Cục Cảnh sát "
      "quản lý hành chính về trật tự xã hội",
      "Nơi cư trú: {DIACHI}",
      "Trong thời gian cư trú tại xã {XA} từ ngày {NGAYSO1} đến ngày {NGAYSO2}",
      "Tình trạng hôn nhân: Hiện tại chưa đăng ký kết hôn với ai.",
      "Giấy này được cấp để: làm thủ tục đăng ký kết hôn."},
     "Giấy này có giá trị sử dụng trong thời hạn 06 tháng kể từ ngày cấp và chỉ được sử dụng vào mục "
     "đích ghi trên giấy. Trường hợp thông tin trên giấy không đúng sự thật, người được cấp phải chịu "
     "trách nhiệm trước pháp luật./."},
    {"GIẤY CHỨNG NHẬN", "Hoàn thành khóa tập huấn kỹ năng số hóa tài liệu",
     "Căn cứ kết quả học tập và kiểm tra cuối khóa của học viên,",
     {"Chứng nhận ông (bà): {TEN}", "Sinh ngày: {NGAYSINH}",
      "Số định danh cá nhân: {CCCD}", "Đơn vị công tác: Ủy ban nhân dân xã {XA}, huyện {H}",
      "Đã hoàn thành khóa tập huấn kỹ năng số hóa hồ sơ, kết quả giải quyết thủ tục hành chính tổ "
      "chức từ ngày {NGAYSO1} đến ngày {NGAYSO2} tại Trung tâm Phục vụ hành chính công tỉnh {P}.",
      "Xếp loại: Giỏi.", NULL, NULL},
     "Người được cấp Giấy chứng nhận có trách nhiệm áp dụng kỹ năng đã học vào công tác số hóa, "
     "hướng dẫn đồng nghiệp tại đơn vị và tuân thủ quy định về bảo vệ dữ liệu cá nhân./."},
};

/* Applications from citizens: what they ask for, their details, why. */
const vi_application vi_applications[3] = {
    {"Cấp đổi Giấy chứng nhận quyền sử dụng đất",
     {"Nơi thường trú: {DIACHI}", "Số điện thoại liên hệ: {PHONE}", NULL},
     {"Năm {NAMCU}, gia đình tôi được Ủy ban nhân dân huyện {H} cấp Giấy chứng nhận quyền sử dụng "
      "đất số {SERI} đối với thửa đất số {THUA}, tờ bản đồ số {TO}, diện tích {DT} m². Do Giấy "
      "chứng nhận đã bị ố, rách, mờ một số trang nên không thể tiếp tục sử dụng, tôi làm đơn này đề "
      "nghị được cấp đổi Giấy chứng nhận mới.",
      "Hồ sơ kèm theo gồm: bản chính Giấy chứng nhận đã cấp; bản sao Căn cước công dân; sơ đồ thửa "
      "đất do Văn phòng đăng ký đất đai chi nhánh huyện {H} lập ngày {NGAYSO1}.",
      NULL}},
    {"Cấp bản sao trích lục khai sinh",
     {"Nơi cư trú: {DIACHI}", "Quan hệ với người được cấp bản sao: cha/mẹ", NULL},
     {"Tôi đề nghị được cấp 02 bản sao trích lục khai sinh cho con tôi là cháu {TEN2}, sinh ngày "
      "{NGAYSINH2}, đã đăng ký khai sinh tại Ủy ban nhân dân xã {XA}, để bổ sung hồ sơ nhập học và "
      "làm thủ tục cấp thẻ bảo hiểm y tế.",
      "Tôi nhận kết quả bằng hình thức: trực tiếp tại Bộ phận Một cửa, và đồng ý nhận bản điện tử "
      "qua tài khoản trên Cổng Dịch vụ công quốc gia.",
      NULL}},
    {"Xác nhận thông tin về cư trú",
     {"Nơi thường trú trước đây: {DIACHI2}", "Nơi ở hiện tại: {DIACHI}", "Số điện thoại: {PHONE}"},
     {"Do thay đổi chỗ ở từ tháng 3 năm {NAMCU}, tôi đề nghị Công an xã xác nhận thông tin về cư "
      "trú của bản thân và các thành viên trong hộ gia đình để làm thủ tục chuyển trường cho con và "
      "hưởng chế độ bảo hiểm xã hội một lần.",
      "Các thành viên cùng chuyển đến gồm: vợ (chồng) là {TEN2} và con là {TEN3}; mọi thông tin "
      "đã được cập nhật trên ứng dụng VNeID nhưng chưa hiển thị nơi ở mới.",
      NULL}},
};

/* Notices: a result, a schedule, a suspension. */
const vi_notice vi_notices[3] = {
    {"Kết quả giải quyết hồ sơ thủ tục hành chính",
     {"Ngày {NGAYSO1}, Bộ phận Một cửa tiếp nhận hồ sơ của ông (bà) {TEN}, mã hồ sơ {MAHS}, đề "
      "nghị đăng ký biến động quyền sử dụng đất do nhận chuyển nhượng. Qua kiểm tra, hồ sơ đã được "
      "giải quyết xong và có kết quả trước hạn 02 ngày làm việc.",
      "Đề nghị ông (bà) mang theo giấy hẹn trả kết quả và Căn cước công dân đến nhận kết quả tại Bộ "
      "phận Một cửa trong giờ hành chính, hoặc đăng ký nhận kết quả qua dịch vụ bưu chính công ích; "
      "kết quả điện tử đã được gửi vào tài khoản của ông (bà) trên Cổng Dịch vụ công quốc gia.",
      NULL}},
    {"Lịch tiếp công dân định kỳ năm {NAM}",
     {"Lãnh đạo Ủy ban nhân dân tiếp công dân định kỳ vào ngày 10 và ngày 25 hằng tháng tại Phòng "
      "tiếp công dân; trường hợp trùng ngày nghỉ, ngày lễ thì chuyển sang ngày làm việc tiếp theo.",
      "Công dân đến kiến nghị, phản ánh phải xuất trình giấy tờ tùy thân, trình bày trung thực sự "
      "việc và chấp hành nội quy tiếp công dân; nhiều người cùng một nội dung thì cử đại diện không "
      "quá 05 người.",
      "Ủy ban nhân dân thông báo để các tổ chức, cá nhân biết, thực hiện. Mọi thắc mắc xin liên hệ "
      "số điện thoại {PHONE} để được hướng dẫn./."}},
    {"Tạm dừng tiếp nhận hồ sơ trực tiếp để nâng cấp hệ thống",
     {"Để nâng cấp phần mềm một cửa điện tử và đồng bộ dữ liệu với Hệ thống thông tin giải quyết "
      "thủ tục hành chính của tỉnh, Bộ phận Một cửa tạm dừng tiếp nhận hồ sơ trực tiếp từ 13 giờ 30 "
      "phút {NGAY2} đến hết {NGAY3}.",
      "Trong thời gian này, tổ chức, cá nhân vẫn có thể nộp hồ sơ trực tuyến; hồ sơ đến hạn trả kết "
      "quả được ưu tiên giải quyết, không để người dân phải đi lại nhiều lần. Rất mong nhận được sự "
      "thông cảm của Quý vị./.",
      NULL}},
};

/* text_vi.h: Vietnamese administrative text for the generated test pages: headers and
 * body paragraphs in the style of quyết định, kế hoạch, công văn, giấy chứng nhận. NFC. */
#ifndef SOHOA_GEN_TEXT_VI_H
#define SOHOA_GEN_TEXT_VI_H

static const char *const vi_agencies[] = {
    "ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
    "ỦY BAN NHÂN DÂN HUYỆN YÊN DŨNG",
    "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
    "UBND PHƯỜNG ĐỒNG XUÂN",
    "SỞ KẾ HOẠCH VÀ ĐẦU TƯ TỈNH BẮC GIANG",
    "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
};

static const char *const vi_titles[] = {
    "QUYẾT ĐỊNH",
    "KẾ HOẠCH",
    "CÔNG VĂN",
    "GIẤY CHỨNG NHẬN",
    "THÔNG BÁO",
    "BIÊN BẢN",
};

static const char *const vi_subjects[] = {
    "Về việc cấp giấy chứng nhận quyền sử dụng đất cho hộ gia đình, cá nhân",
    "Về việc thành lập Tổ công tác số hóa hồ sơ thủ tục hành chính",
    "Triển khai thực hiện cơ chế một cửa, một cửa liên thông năm 2024",
    "Về việc phê duyệt kết quả lựa chọn nhà thầu gói thầu xây lắp",
    "Về việc điều chỉnh quy hoạch chi tiết khu dân cư mới",
    "Về việc tiếp nhận và trả kết quả giải quyết thủ tục hành chính",
};

static const char *const vi_paragraphs[] = {
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ "
    "sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày "
    "22 tháng 11 năm 2019;",
    "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện cơ "
    "chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính;",
    "Căn cứ Thông tư số 01/2023/TT-VPCP ngày 05 tháng 4 năm 2023 của Văn phòng Chính phủ quy "
    "định một số nội dung và biện pháp thi hành trong số hóa hồ sơ, kết quả giải quyết thủ tục "
    "hành chính;",
    "Xét đề nghị của Trưởng phòng Tài nguyên và Môi trường tại Tờ trình số 215/TTr-TNMT ngày "
    "08 tháng 1 năm 2024 về việc cấp giấy chứng nhận cho ông Nguyễn Văn Đức, số định danh cá "
    "nhân 001234567890, thường trú tại thôn Đông, xã Tân Liễu.",
    "Điều 1. Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn "
    "liền với đất cho bà Trần Thị Hồng Nhung, sinh năm 1978, với tổng diện tích 245,6 mét "
    "vuông tại thửa đất số 112, tờ bản đồ số 07.",
    "Điều 2. Giao Văn phòng Đăng ký đất đai chủ trì, phối hợp với Ủy ban nhân dân xã cập nhật "
    "biến động vào hồ sơ địa chính, cơ sở dữ liệu đất đai và trao giấy chứng nhận cho người "
    "được cấp theo đúng quy định.",
    "Điều 3. Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện, Trưởng các phòng, "
    "ban, ngành có liên quan và các cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết "
    "định này. Quyết định có hiệu lực kể từ ngày ký.",
    "Nhằm nâng cao chất lượng phục vụ người dân và doanh nghiệp, Ủy ban nhân dân tỉnh ban "
    "hành Kế hoạch số hóa hồ sơ, kết quả giải quyết thủ tục hành chính với mục tiêu 100% hồ "
    "sơ được số hóa ngay khi tiếp nhận.",
    "Các cơ quan, đơn vị rà soát, thống kê toàn bộ kết quả giải quyết thủ tục hành chính còn "
    "hiệu lực đang lưu trữ dưới dạng giấy; xây dựng lộ trình số hóa phù hợp, bảo đảm tính "
    "chính xác, đầy đủ và an toàn thông tin.",
    "Bộ phận Một cửa có trách nhiệm kiểm tra tính đầy đủ, hợp lệ của hồ sơ; quét, chuyển đổi "
    "thành bản điện tử, ký số và lưu trữ vào Kho quản lý dữ liệu điện tử của tổ chức, cá "
    "nhân trên Cổng Dịch vụ công quốc gia.",
    "Người dân không phải nộp lại các giấy tờ, tài liệu đã được cơ quan có thẩm quyền tiếp "
    "nhận, số hóa và còn hiệu lực. Việc khai thác, sử dụng lại dữ liệu được thực hiện theo "
    "quy định của pháp luật về giao dịch điện tử.",
    "Kinh phí thực hiện được bố trí từ nguồn ngân sách nhà nước theo phân cấp hiện hành và các "
    "nguồn hợp pháp khác. Sở Tài chính chủ trì, tham mưu cân đối, bố trí kinh phí để triển "
    "khai các nhiệm vụ của Kế hoạch.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời phản "
    "ánh về Văn phòng Ủy ban nhân dân tỉnh để tổng hợp, báo cáo Chủ tịch Ủy ban nhân dân tỉnh "
    "xem xét, quyết định./.",
    "Hồ sơ gồm: đơn đề nghị cấp giấy chứng nhận theo mẫu số 04a/ĐK; bản sao giấy tờ về quyền "
    "sử dụng đất; sơ đồ nhà ở, công trình xây dựng; chứng từ thực hiện nghĩa vụ tài chính về "
    "đất đai, tài sản gắn liền với đất.",
    "Thời hạn giải quyết không quá mười lăm ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ. "
    "Trường hợp hồ sơ chưa đầy đủ, trong thời hạn ba ngày làm việc, cơ quan tiếp nhận phải "
    "hướng dẫn người nộp bổ sung, hoàn thiện.",
    "Ông Lê Quang Vinh, Phó Chủ tịch Ủy ban nhân dân phường, chủ trì cuộc họp; thành phần gồm "
    "đại diện Công an phường, cán bộ địa chính, cán bộ tư pháp - hộ tịch và đại diện các hộ "
    "dân có liên quan.",
    "Qua kiểm tra thực địa, diện tích đất đang sử dụng ổn định, không tranh chấp, phù hợp với "
    "quy hoạch sử dụng đất đã được phê duyệt. Các bên thống nhất ký vào biên bản, biên bản "
    "được lập thành bốn bản có giá trị như nhau.",
    "Đề nghị các xã, thị trấn chỉ đạo công chức tại Bộ phận Một cửa thực hiện nghiêm việc số "
    "hóa hồ sơ; cập nhật đầy đủ, chính xác thông tin trên Hệ thống thông tin giải quyết thủ tục "
    "hành chính của tỉnh; báo cáo kết quả trước ngày 25 hằng tháng.",
    "Phạm Thị Thu Hương, cán bộ tiếp nhận, đã hướng dẫn công dân Hoàng Đình Khải hoàn thiện hồ "
    "sơ đăng ký kinh doanh hộ cá thể; mã hồ sơ H12.38-240108-0012; ngày hẹn trả kết quả là "
    "thứ Năm, ngày 11 tháng 01 năm 2024.",
    "Quyết định này thay thế Quyết định số 1532/QĐ-UBND ngày 14 tháng 9 năm 2021 của Ủy ban "
    "nhân dân tỉnh về việc ban hành quy trình nội bộ giải quyết thủ tục hành chính lĩnh vực "
    "đất đai trên địa bàn tỉnh.",
};

#endif

"""Write the real-looking CRM export files of tests/data/ that the file-reading tests use.

Each is written the way its CRM or Excel writes it: a Bitrix24 contact export in Windows-1251,
an amoCRM export in KOI8-R, a Chinese CRM export in GB18030 and one in Big5, a Turkish export in
Windows-1254, a UTF-16 export without a byte-order mark, a Japanese one in Shift-JIS, a Western
European one in cp1252, Excel's ``sep=;`` first line with trailing empty header cells, ragged
rows, and header cells that a spreadsheet would run as formulas.

    python tests/make_exports.py
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"

BITRIX24 = """\
ID;Обращение;Имя;Отчество;Фамилия;Дата рождения;Должность;Компания;Рабочий телефон;\
Мобильный телефон;Рабочий e-mail;Улица, дом, корпус, строение;Город;Область;Почтовый индекс;\
Страна;Источник;Дата создания
101;г-н;Иван;Петрович;Смирнов;12.03.1985;Менеджер по продажам;ООО «Ромашка»;\
+7 (495) 123-45-67;+7 916 555-12-34;i.smirnov@romashka.ru;ул. Ленина, д. 5;Москва;\
Московская область;101000;Россия;Веб-сайт;01.02.2023 10:15:00
102;г-жа;Мария;Ивановна;Кузнецова;05.11.1990;Главный бухгалтер;АО «Весна»;8 (812) 555-12-34;\
8 921 000-11-22;m.kuznetsova@vesna.ru;Невский пр., д. 28;Санкт-Петербург;Ленинградская область;\
191186;Россия;Звонок;03.02.2023 12:00:00
103;г-н;Иван;Петрович;Смирнов;12.03.1985;Менеджер по продажам;Ромашка;84951234567;;\
I.Smirnov@Romashka.ru;Ленина 5;москва;;101000;РФ;Выставка;04.02.2023 09:30:00
104;г-н;Алексей;Сергеевич;Попов;;Директор;ИП Попов А.С.;;+7 903 123 45 67;popov@yandex.ru;\
ул. Мира, 10;Новосибирск;Новосибирская область;630000;Россия;Реклама;05.02.2023 14:45:00
"""

AMOCRM = """\
ID,Полное имя,Имя,Фамилия,Компания,Должность,Рабочий телефон,Мобильный телефон,Рабочий email,\
Дата создания,Изменено,Теги
5001,Ольга Николаева,Ольга,Николаева,ООО Вектор,Руководитель отдела,+7 495 765-43-21,\
+7 926 111-22-33,olga@vektor.ru,10.01.2024,12.01.2024,опт
5002,Дмитрий Волков,Дмитрий,Волков,Волков и партнёры,Юрист,,8 (999) 888-77-66,\
volkov@partners.ru,11.01.2024,11.01.2024,
5003,Ольга Николаева,Ольга,Николаева,Вектор,Руководитель отдела,74957654321,,\
OLGA@VEKTOR.RU,15.01.2024,15.01.2024,дубль
"""

CHINESE = """\
客户编号,姓名,手机,电话,电子邮箱,公司名称,职位,省份,城市,详细地址,邮编,国家,出生日期,来源,创建时间
C001,张伟,13800138000,010-62345678,zhangwei@beijingtech.cn,北京科技有限公司,销售经理,北京市,北京,\
海淀区中关村大街1号,100080,中国,1985-03-12,官网,2023-02-01 10:15
C002,李娜,13912345678,021-55551234,lina@shmaoyi.com,上海贸易有限公司,总经理,上海市,上海,\
浦东新区世纪大道100号,200120,中国,1990-11-05,展会,2023-02-03 12:00
C003,张伟,+86 138 0013 8000,,ZhangWei@BeijingTech.cn,北京科技,销售经理,北京市,北京,中关村大街1号,\
100080,中国,1985-03-12,电话,2023-02-04 09:30
C004,王芳,13700001111,0755-88889999,wangfang@szdz.cn,深圳电子股份有限公司,市场总监,广东省,深圳,\
南山区科技园,518057,中国,,推荐,2023-02-05 14:45
"""

BIG5 = """\
客戶編號,聯絡人姓名,手機,電話,電子郵件,公司名稱,職稱,城市,詳細地址,郵遞區號,國家
T01,陳大文,0912345678,02-2345-6789,chen@taiwantech.com.tw,台灣科技股份有限公司,業務經理,台北市,\
信義區信義路五段7號,110,台灣
T02,林美玲,0922333444,04-2222-3333,lin@guotai.com.tw,國泰貿易有限公司,總經理,台中市,\
西屯區台灣大道三段99號,407,台灣
"""

TURKISH = """\
Müşteri No;Adı;Soyadı;E-posta;Telefon;Cep Telefonu;Ünvan;Şirket;Adres;Şehir;Posta Kodu;Ülke;\
Doğum Tarihi;Kaynak;Oluşturulma Tarihi
M-001;Ayşe;Yılmaz;ayse.yilmaz@dogan.com.tr;+90 212 555 12 34;0532 111 22 33;Satış Müdürü;\
Doğan Ltd. Şti.;Büyükdere Cad. No:12 Şişli;İstanbul;34394;Türkiye;12.03.1985;Web;01.02.2023
M-002;Mehmet;Öztürk;mehmet.ozturk@celik.com.tr;0312 444 55 66;0533 222 33 44;Genel Müdür;\
Çelik A.Ş.;Atatürk Bulvarı No:5 Çankaya;Ankara;06420;Türkiye;05.11.1978;Fuar;03.02.2023
M-003;Ayşe;Yılmaz;AYSE.YILMAZ@DOGAN.COM.TR;02125551234;;Satış Müdürü;Doğan Ltd Şti;\
Büyükdere Caddesi 12;İSTANBUL;34394;TR;12.03.1985;Telefon;04.02.2023
M-004;Şule;Güneş;sule@ozgur.com.tr;0232 777 88 99;0544 555 66 77;Pazarlama Uzmanı;\
Özgür Gıda San. ve Tic. A.Ş.;Kordon Boyu No:3 Konak;İzmir;35250;Türkiye;;Referans;05.02.2023
"""

JAPANESE = """\
氏名,メールアドレス,電話番号,会社名,役職
山田太郎,taro.yamada@sample.co.jp,03-1234-5678,株式会社サンプル,営業部長
佐藤花子,hanako.sato@example.co.jp,06-9876-5432,有限会社テスト,課長
鈴木一郎,ichiro@suzuki-shoji.jp,052-111-2222,鈴木商事株式会社,代表取締役
"""

WESTERN = """\
Prénom,Nom de famille,Email,Société,Ville,Pays
Jérôme,Lefèvre,jerome.lefevre@exemple.fr,Société Générale,Besançon,France
Zoë,Müller,zoe.mueller@beispiel.de,Café Noël GmbH,Zürich,Schweiz
Renée,Dupré,renee@maison.fr,Maison Dupré & Fils,Orléans,France
"""

UTF16 = """\
Record ID,First Name,Last Name,Email,Phone Number
1,Jane,Smith,jane.smith@acme.com,+1 415 555 2671
2,Иван,Петров,ivan@mail.ru,+7 495 123 45 67
3,Jane,Smith,jane.smith@acme.com,(415) 555-2671
"""

RAGGED = """\
Record ID,First Name,Last Name,Email
1,Jane,Smith,jane@acme.com,EXTRA1,EXTRA2
2,John,Doe,john@acme.com
3,Ann,Lee,ann@acme.com,,
4,Bob,Roe,bob@acme.com,EXTRA3
"""

EXCEL_SEP = """\
sep=;
Record ID;First Name;Last Name;Email;Phone;;;
1;Jane;Smith;jane@acme.com;+1 415 555 2671;;;
2;John;Doe;john@acme.com;+1 415 555 2672;;;
"""

INJECTION = """\
Record ID,=HYPERLINK("http://evil.example"),+SUM(1+1),Email,Note
1,-1-1,+1-1,jane@acme.com,@SUM(A1)
2,-12.5,+1 (415) 555-2671,john@acme.com,plain
"""

FILES: dict[str, tuple[str, str]] = {
    "bitrix24_contacts_cp1251.csv": (BITRIX24, "cp1251"),
    "amocrm_contacts_koi8r.csv": (AMOCRM, "koi8_r"),
    "chinese_crm_gb18030.csv": (CHINESE, "gb18030"),
    "taiwan_crm_big5.csv": (BIG5, "big5"),
    "turkish_crm_cp1254.csv": (TURKISH, "cp1254"),
    "japanese_crm_shift_jis.csv": (JAPANESE, "shift_jis"),
    "western_excel_cp1252.csv": (WESTERN, "cp1252"),
    "hubspot_utf16le_no_bom.csv": (UTF16, "utf-16-le"),
    "ragged_rows.csv": (RAGGED, "utf-8"),
    "excel_sep_line.csv": (EXCEL_SEP, "utf-8"),
    "header_injection.csv": (INJECTION, "utf-8"),
}

#: What each file must decode to (the text written), for the tests.
TEXTS = {name: text for name, (text, _) in FILES.items()}


def main() -> None:
    """Write every file into tests/data/."""
    DATA.mkdir(exist_ok=True)
    for name, (text, encoding) in FILES.items():
        (DATA / name).write_bytes(text.encode(encoding))


if __name__ == "__main__":
    main()

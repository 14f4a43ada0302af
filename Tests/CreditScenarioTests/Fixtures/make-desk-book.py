#!/usr/bin/env python3
"""Makes desk-book.xlsx, the workbook fixture that another tool wrote (openpyxl 3.1.5,
`pip install openpyxl`): run `python3 make-desk-book.py` in this folder. The tests read it and
compare it with desk-entities.csv and desk-bonds.csv, the same book as canonical CSVs.

Sheets: 主体 (entities: a merged title row above Chinese headers, PDs in percent-format cells),
债券 (bonds: an issuer merged down over its two bonds, date cells for maturity, a notional typed
as the text "1,000.0"), cells (one cell of each kind: number, shared string, inline string,
boolean, date, percent, and a formula that openpyxl saves without a result).
openpyxl 3.1 writes every string as an inline string (`t="inlineStr"`). desk-book-libreoffice.xlsx
is the same book opened and saved by LibreOffice Calc 7.4.7.2 (Debian 12), which writes shared
strings and computes the formula:
    soffice --headless --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir lo desk-book.xlsx
    mv lo/desk-book.xlsx desk-book-libreoffice.xlsx
"""
import datetime

import openpyxl

wb = openpyxl.Workbook()
e = wb.active
e.title = "主体"
e["A1"] = "主体清单（2026年3月）"
e.merge_cells("A1:E1")
e.append(["主体代码", "主体名称", "行业", "违约概率", "global"])
for row in [["600519", "贵州茅台", "消费", 0.0006, 0.3],
            ["yili", "伊利股份", "消费", 0.0035, 0.35],
            ["cdb", "国家开发银行", "政策性银行", 0.0002, 0.4],
            ["hwd", "恒大地产", "地产", 0.052, 0.5]]:
    e.append(row)
for r in range(3, 7):
    e.cell(row=r, column=4).number_format = "0.00%"

b = wb.create_sheet("债券")
b.append(["债券代码", "发行人", "余额", "到期日", "违约损失率", "担保人", "担保比例"])
b.append(["188001.SH", "yili", 500, datetime.date(2029, 3, 13), 0.6, None, None])
b.append(["188002.SH", None, "1,000.0", datetime.date(2027, 11, 30), 0.55, "cdb", 1])
b.append(["112233.SZ", "hwd", 250.5, datetime.date(2026, 12, 31), 0.7, None, None])
b.append(["600519-1", "600519", 80, datetime.date(2028, 6, 1), 0.4, None, None])
b.merge_cells("B2:B3")
for r in range(2, 6):
    b.cell(row=r, column=4).number_format = "yyyy/m/d"

c = wb.create_sheet("cells")
c["A1"] = 1.25
c["B1"] = "共享字符串"
c["C1"] = True
c["D1"] = datetime.date(2030, 1, 2)
c["D1"].number_format = "yyyy\"年\"m\"月\"d\"日\""
c["E1"] = 0.0035
c["E1"].number_format = "0.00%"
c["F1"] = "=A1*2"
wb.save("desk-book.xlsx")

"""Reports over the register: indicators, statistical workbooks, audits, work lists."""

# make rescue-matrix: every rescue scenario on 6.1 and 6.12, three runs
# each, with a table of outcomes and send->reset times (tests/rescue/matrix;
# about 45 minutes). CI runs one of each (tests/rescue/run).
.PHONY: rescue-matrix
rescue-matrix:
	tests/rescue/matrix

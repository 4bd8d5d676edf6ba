-- segment_transcript(): congressional hearings and records, court transcripts
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS transcripts;
RESET client_min_messages;

-- a hearing as GPO publishes it: HTML around <pre> text, turns at a 4-space indent,
-- "[presiding]", ordinary paragraphs at the same indent continue the speaker, inserted
-- material belongs to nobody
SELECT ordinal, speaker, line, body FROM segment_transcript(E'<html><head><title>Hearing</title></head><body><pre>\n'
	'                      HARBOUR REFORM\n\n'
	'    Mr. Kanjorski. [presiding] This hearing will come to order.\n'
	'Without objection, all members may make statements.\n'
	'    Mr. Chairman, thank you for coming, he said.\n\n'
	'    Mr. Hensarling. Thank you, Mr. Chairman. For many of us\n'
	'here, it is a long day &amp; more.\n\n'
	'    [The prepared statement of Mr. Hensarling can be found on page\n'
	'30 of the appendix.]\n\n'
	'    The Chairman. We will hear from Ms. Waters.\n\n'
	'    Ms. Waters. Thank you.\n'
	'    Chairman Frank. Next.\n'
	'</pre></body></html>\n');

-- the Congressional Record: 2-space indent, names in capitals, page marks inside sentences,
-- the clerk reading
SELECT ordinal, speaker, page, body FROM segment_transcript(E'  The PRESIDING OFFICER. The clerk will report the bill.\n'
	'  The assistant legislative clerk read as follows:\n\n'
	'       A bill to authorize appropriations.\n\n'
	'  Mr. WARNER. Mr. President, I rise regarding the [[Page S8537]] pending\n'
	'bill.\n  Mr. LEVIN. The glory days.\n'
	'  Mr. WARNER. Mr. President, I have the floor.\n'
	'  The motion to lay on the table was agreed to.\n', 'hearing');

-- a court transcript: capital labels, Q and A after "BY MS. X:", stage directions
SELECT ordinal, speaker, line, body FROM segment_transcript(E'VOLUME I\nINTRODUCTION\n'
	'MR. MCCULLOCH: Thank you. I''m Bob\nMcCulloch, the Prosecutor.\n'
	'MS. WHIRLEY: This proceeding involves\nthe shooting.\n'
	'BY MS. WHIRLEY:\nQ All right. You''ve stated\nyour occupation?\nA Medical legal investigator.\n'
	'Q. And where?\nA. The Medical Examiner''s\noffice.\n(Recess)\nTHE WITNESS: Yes, ma''am.\n');

-- line numbers in the margin and page numbers are removed; before any "BY" line Q and A stay Q and A
SELECT ordinal, speaker, page, body FROM segment_transcript(E'                                   12\n'
	' 1   Q.  Did you see him?\n 2   A.  Yes.\n 3   Q.  Where?\n 4   A.  On the\n 5   street.\n'
	'                                   13\n'
	' 1   THE COURT:  Overruled.\n 2   BY MR. SMITH:\n 3   Q.  Go on.\n', 'court');

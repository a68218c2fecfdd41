"""Version 1 of the intake form's questions, as data. FROZEN: answers already given refer to it.

To change the questions, add `intake_v2.py` and a migration publishing it as version 2; never
edit this list (migration 0003 and seed_demo load it as version 1).

Question keys: `key` (answer key, stable), `section`, `label`, `type` (text, textarea, date,
choice, yesno, scale, conditions), `required`, optional `help`, `choices` ([value, label] pairs),
`conditions` (choice value -> Condition slug added to the profile) and, for screening questions,
`red_flag` ({"label", "advice"}) raised when the answer is "yes".
"""

SEE_PHYSICIAN = "Advise to consult a physician before exercising."

PARQ = [
    (
        "parq_heart",
        "Has your doctor ever said that you have a heart condition or high blood pressure?",
        "Heart condition or high blood pressure",
    ),
    (
        "parq_chest_pain",
        "Do you feel pain in your chest at rest, during daily activities, or when you are "
        "physically active?",
        "Chest pain",
    ),
    (
        "parq_dizziness",
        "Do you lose balance because of dizziness, or have you lost consciousness in the last "
        "12 months?",
        "Dizziness or loss of consciousness",
    ),
    (
        "parq_chronic",
        "Have you been diagnosed with another chronic medical condition (other than heart "
        "disease or high blood pressure)?",
        "Other chronic medical condition",
    ),
    (
        "parq_medication",
        "Are you currently taking prescribed medication for a chronic medical condition?",
        "Prescribed medication for a chronic condition",
    ),
    (
        "parq_joint",
        "Do you have (or have you had in the last 12 months) a bone, joint or soft-tissue problem "
        "that could be made worse by becoming more physically active?",
        "Bone, joint or soft-tissue problem",
    ),
    (
        "parq_supervised",
        "Has your doctor ever said that you should only do medically supervised physical activity?",
        "Medically supervised activity only",
    ),
]

QUESTIONS: list[dict] = [
    {
        "key": "date_of_birth",
        "section": "About you",
        "label": "Date of birth",
        "type": "date",
        "required": False,
    },
    {
        "key": "emergency_contact",
        "section": "About you",
        "label": "Emergency contact (name and phone)",
        "type": "text",
        "required": False,
    },
    {
        "key": "conditions",
        "section": "Health history",
        "label": "Do any of these apply to you now or in the past year?",
        "type": "conditions",
        "required": False,
        "help": "Tick all that apply. Your specialist uses this to choose safe exercises.",
    },
    {
        "key": "surgeries",
        "section": "Health history",
        "label": "Surgeries, injuries or accidents (with approximate dates)",
        "type": "textarea",
        "required": False,
    },
    {
        "key": "medications",
        "section": "Health history",
        "label": "Medications or supplements that affect how you move or feel",
        "type": "textarea",
        "required": False,
    },
    {
        "key": "health_other",
        "section": "Health history",
        "label": "Anything else about your health we should know?",
        "type": "textarea",
        "required": False,
    },
    {
        "key": "goals",
        "section": "Goals",
        "label": "What would you like to get out of working with us?",
        "type": "textarea",
        "required": True,
        "help": "For example: pick up my baby without knee pain, walk further, sleep better.",
    },
    {
        "key": "activity",
        "section": "Goals",
        "label": "How active are you at the moment?",
        "type": "choice",
        "required": True,
        "choices": [
            ["rarely", "Rarely active"],
            ["sometimes", "Active once or twice a week"],
            ["often", "Active three or more times a week"],
        ],
    },
    {
        "key": "pain_now",
        "section": "Current pain",
        "label": "How much pain are you in today? (0 = none, 10 = worst imaginable)",
        "type": "scale",
        "required": True,
    },
    {
        "key": "pain_where",
        "section": "Current pain",
        "label": "Where do you feel it?",
        "type": "text",
        "required": False,
    },
    {
        "key": "pain_pattern",
        "section": "Current pain",
        "label": "What makes it better or worse?",
        "type": "textarea",
        "required": False,
    },
    {
        "key": "pregnancy",
        "section": "Pregnancy and postpartum",
        "label": "Are you pregnant or have you given birth in the last 12 months?",
        "type": "choice",
        "required": True,
        "choices": [
            ["no", "No / not applicable"],
            ["pregnant", "I am pregnant"],
            ["postpartum", "I gave birth in the last 12 months"],
        ],
        "conditions": {"pregnant": "pregnancy", "postpartum": "postpartum-under-12-months"},
    },
    {
        "key": "pregnancy_detail",
        "section": "Pregnancy and postpartum",
        "label": "How many weeks pregnant, or how long since the birth? Any complications?",
        "type": "text",
        "required": False,
    },
] + [
    {
        "key": key,
        "section": "Screening",
        "label": label,
        "type": "yesno",
        "required": True,
        "red_flag": {"label": flag, "advice": SEE_PHYSICIAN},
    }
    for key, label, flag in PARQ
]

TITLE = "Health history and consent"

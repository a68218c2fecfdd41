"""Demo exercise catalog for Tonic: restorative and alignment exercises as plain data.

Pure Python, no Django imports: a seeding command or migration can load it into the models.

* ``REGIONS``: body-region slugs used by exercises and conditions.
* ``CONDITIONS``: the shared vocabulary used by intake answers and exercise contraindications.
* ``EQUIPMENT``: equipment slugs an exercise may need.
* ``POSITIONS``: allowed starting positions.
* ``EXERCISES``: the catalog. ``contraindications`` means "check with the client's provider /
  modify or skip". It is a flag for the instructor, not a medical judgement.

The legs-up-the-wall inner-thigh stretch, calf stretch, seated hip stretch and hamstring
stretch follow the studio's own material (Sydney, Restorative Movement Specialist at
Pilates Tonic). The others are written in the same restorative-alignment style.

Run ``python programs/demo_catalog.py`` to self-check the cross-references.
"""

from __future__ import annotations

from typing import Any

REGIONS: list[str] = [
    "feet",
    "ankles",
    "calves",
    "knees",
    "quads",
    "hamstrings",
    "inner-thighs",
    "hip-flexors",
    "hips",
    "pelvis",
    "pelvic-floor",
    "spine",
    "core",
    "upper-back",
    "shoulders",
    "neck",
    "head",
    "whole-body",
]

CONDITIONS: list[dict[str, str]] = [
    {"slug": "knee-bursitis", "name": "Knee bursitis (incl. pes anserine)", "region": "knees"},
    {"slug": "knee-replacement", "name": "Knee replacement", "region": "knees"},
    {"slug": "hip-replacement", "name": "Hip replacement", "region": "hips"},
    {"slug": "pregnancy", "name": "Pregnancy", "region": "pelvis"},
    {
        "slug": "postpartum-under-12-months",
        "name": "Postpartum (under 12 months)",
        "region": "pelvis",
    },
    {"slug": "diastasis-recti", "name": "Diastasis recti", "region": "core"},
    {
        "slug": "pelvic-floor-dysfunction",
        "name": "Pelvic floor dysfunction (incl. prolapse, incontinence)",
        "region": "pelvic-floor",
    },
    {"slug": "osteoporosis", "name": "Osteoporosis or osteopenia", "region": "spine"},
    {"slug": "disc-herniation", "name": "Disc herniation or bulge", "region": "spine"},
    {"slug": "sciatica", "name": "Sciatica", "region": "spine"},
    {"slug": "plantar-fasciitis", "name": "Plantar fasciitis", "region": "feet"},
    {"slug": "peripheral-neuropathy", "name": "Peripheral neuropathy (feet)", "region": "feet"},
    {"slug": "achilles-tendinopathy", "name": "Achilles tendinopathy", "region": "ankles"},
    {"slug": "shoulder-impingement", "name": "Shoulder impingement", "region": "shoulders"},
    {"slug": "neck-injury", "name": "Recent neck injury or whiplash", "region": "neck"},
    {"slug": "glaucoma", "name": "Glaucoma", "region": "head"},
    {"slug": "vertigo", "name": "Vertigo or balance disorder", "region": "head"},
    {"slug": "hypertension", "name": "High blood pressure (uncontrolled)", "region": "whole-body"},
    {"slug": "recent-surgery", "name": "Surgery in the last 12 weeks", "region": "whole-body"},
]

EQUIPMENT: list[str] = [
    "yoga-mat",
    "wall",
    "chair",
    "counter",
    "half-foam-roller",
    "rolled-towel",
    "folded-blanket",
    "pillow",
    "bolster",
    "yoga-block",
    "strap",
    "tennis-ball",
]

POSITIONS: list[str] = ["lying", "seated", "standing", "kneeling"]

EXERCISES: list[dict[str, Any]] = [
    # ------------------------------------------------------------------ feet and ankles
    {
        "slug": "toe-spreading",
        "name": "Toe spreading",
        "summary": (
            "Wakes up the small muscles between the toes that shoes keep squeezed together, "
            "giving the foot a wider, more stable base."
        ),
        "instructions": [
            "Sit tall on the front of a chair with your feet flat, hip-width apart and "
            "pointing straight ahead.",
            "Keeping the balls of the feet and heels down, lift all ten toes.",
            "Spread the toes as wide apart as you can while they are lifted.",
            "Place them back down one at a time, keeping the spaces between them.",
            "Relax completely, then repeat.",
        ],
        "cues": [
            "Lift, spread, then place the toes down wide",
            "Keep the ball of the big toe heavy on the floor",
            "Don't worry if the toes barely move at first; the connection comes with practice",
        ],
        "common_mistakes": [
            "Curling or gripping the toes instead of spreading them",
            "Rolling onto the outer edge of the foot",
        ],
        "feel_it": "In the small muscles between the toes and along the arch.",
        "regions": ["feet"],
        "position": "seated",
        "equipment": ["chair"],
        "difficulty": 1,
        "sets": 2,
        "reps": 10,
        "hold_seconds": None,
        "breaths": None,
        "per_side": False,
        "contraindications": [],
        "progressions": [],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "top-of-the-foot-stretch",
        "name": "Top-of-the-foot stretch",
        "summary": (
            "Stretches the muscles along the top of the foot and the front of the shin, which "
            "stiffen in firm, raised-heel shoes."
        ),
        "instructions": [
            "Stand tall with your feet hip-width apart, holding a chair or counter for balance.",
            "Reach your right foot back and curl the toes under so the tops of the toes rest "
            "on the floor or mat.",
            "Keep your pelvis over your standing heel and the right knee pointing straight "
            "down, not out to the side.",
            "Slowly bend the standing knee slightly, or draw the back foot forward, until you "
            "feel a stretch on the top of the foot.",
            "Hold, then switch sides.",
        ],
        "cues": [
            "Top of the toes to the floor, ankle straight, not rolled out",
            "Keep the back knee in line with the hip",
            "Ease in; the stretch can be surprisingly intense",
        ],
        "common_mistakes": [
            "Sickling the ankle so the foot rolls onto its outer edge",
            "Letting the pelvis drift forward ahead of the standing heel",
        ],
        "feel_it": "Along the top of the foot, the front of the ankle and the shin.",
        "regions": ["feet", "ankles"],
        "position": "standing",
        "equipment": ["chair", "yoga-mat"],
        "difficulty": 1,
        "sets": 1,
        "reps": None,
        "hold_seconds": 30,
        "breaths": None,
        "per_side": True,
        "contraindications": [],
        "progressions": [],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "tennis-ball-foot-massage",
        "name": "Ball-of-foot massage with a tennis ball",
        "summary": (
            "Self-massage of the sole of the foot to restore mobility to the many joints and "
            "tissues that shoes keep still."
        ),
        "instructions": [
            "Stand holding a chair or counter (or sit tall on a chair) with a tennis ball "
            "under the ball of your right foot.",
            "Let as much of your weight sink into the ball as is comfortable.",
            "Slowly roll the ball from side to side across the ball of the foot, then "
            "down the arch toward the heel.",
            "Pause on tender spots and breathe until they soften.",
            "Spend about a minute on each foot, then switch.",
        ],
        "cues": [
            "Let the foot melt over the ball, don't just press down",
            "Move slowly; the slower you go, the more the foot can relax",
            "Keep the pressure at a level where you can breathe easily",
        ],
        "common_mistakes": [
            "Using so much pressure that the foot grips or cramps",
            "Rolling quickly back and forth instead of lingering",
        ],
        "feel_it": "Across the sole of the foot, from the ball of the foot to the heel.",
        "regions": ["feet"],
        "position": "standing",
        "equipment": ["tennis-ball", "chair"],
        "difficulty": 1,
        "sets": 1,
        "reps": None,
        "hold_seconds": 60,
        "breaths": None,
        "per_side": True,
        "contraindications": ["peripheral-neuropathy"],
        "progressions": [],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "calf-stretch",
        "name": "Calf stretch",
        "summary": (
            "The classic alignment calf stretch on a half foam roller or rolled towel. "
            "Tight calves lock up the lower leg and pull the pelvis forward; this is the "
            "studio's favorite stretch for undoing them."
        ),
        "instructions": [
            "Stand facing the half foam roller (dome side up) or a firmly rolled towel, feet "
            "hip-width apart and pointing straight ahead.",
            "Place the ball of your right foot on top of the roll and lower the heel all the "
            "way to the floor, keeping the right leg straight.",
            "Shift your hips back until your pelvis is stacked over your heels and both legs "
            "are vertical.",
            "Step forward with the left foot only as far as you can while keeping your pelvis "
            "over your heels and your legs vertical. At first the left foot may stay level "
            "with the roll, or even behind it.",
            "Hold, breathing easily, then switch sides.",
        ],
        "cues": [
            "Ball of the foot on the roll, heel down",
            "Step forward only as far as you can keep the pelvis over the heels",
            "Keep both legs vertical, knees straight but not locked",
            "Point the feet straight ahead",
        ],
        "common_mistakes": [
            "Stepping the front foot too far forward so the hips sway ahead of the ankles",
            "Bending the knee of the stretching leg",
            "Turning the stretching foot out",
        ],
        "feel_it": "Down the back of the lower leg, from behind the knee to the heel.",
        "regions": ["calves", "ankles", "feet"],
        "position": "standing",
        "equipment": ["half-foam-roller", "rolled-towel"],
        "difficulty": 1,
        "sets": 1,
        "reps": None,
        "hold_seconds": 60,
        "breaths": None,
        "per_side": True,
        "contraindications": ["achilles-tendinopathy"],
        "progressions": ["double-calf-stretch"],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "double-calf-stretch",
        "name": "Double calf stretch",
        "summary": (
            "Both feet on the roll at once: a stronger calf stretch that also asks for balance "
            "and for the pelvis to stay back over the heels."
        ),
        "instructions": [
            "Stand facing a counter or sturdy chair with the half foam roller (dome side up) "
            "or a rolled towel on the floor in front of you.",
            "Holding the counter, place the balls of both feet on the roll, feet hip-width "
            "apart and pointing straight ahead.",
            "Lower both heels to the floor and straighten the knees.",
            "Shift your hips back until your pelvis is over your heels and your legs are "
            "vertical; use the counter only for balance.",
            "Hold, breathing easily, then step off one foot at a time.",
        ],
        "cues": [
            "Both heels heavy, both legs vertical",
            "Hips back over the heels, not hanging forward on the counter",
            "Hands steady you; they don't pull you forward",
        ],
        "common_mistakes": [
            "Leaning the hips forward toward the counter",
            "Bending the knees to escape the stretch",
        ],
        "feel_it": "Down the backs of both lower legs, and sometimes behind the knees.",
        "regions": ["calves", "ankles", "feet"],
        "position": "standing",
        "equipment": ["half-foam-roller", "rolled-towel", "counter"],
        "difficulty": 2,
        "sets": 1,
        "reps": None,
        "hold_seconds": 60,
        "breaths": None,
        "per_side": False,
        "contraindications": ["achilles-tendinopathy", "vertigo"],
        "progressions": [],
        "regressions": ["calf-stretch"],
        "media_url": "",
    },
    {
        "slug": "soleus-stretch",
        "name": "Soleus stretch (bent-knee calf stretch)",
        "summary": (
            "Targets the deeper calf muscle, the soleus, which a straight-leg calf stretch "
            "misses; helpful for stiff ankles and squatting."
        ),
        "instructions": [
            "Stand facing a wall or counter with your hands resting on it.",
            "Step the right foot half a step back, both feet pointing straight ahead and "
            "hip-width apart.",
            "Keeping the right heel on the floor, bend both knees and let the right knee move "
            "forward over the toes.",
            "Stop when you feel the stretch low in the calf, just before the heel wants to lift.",
            "Hold, then switch sides.",
        ],
        "cues": [
            "Back heel stays down",
            "Back knee tracks over the second toe",
            "Keep the torso upright; the stretch comes from the ankle, not the lean",
        ],
        "common_mistakes": [
            "Letting the back heel lift",
            "Letting the knee collapse inward and the arch roll down",
        ],
        "feel_it": "Low in the calf, just above the heel and along the Achilles tendon.",
        "regions": ["calves", "ankles"],
        "position": "standing",
        "equipment": ["wall"],
        "difficulty": 1,
        "sets": 1,
        "reps": None,
        "hold_seconds": 45,
        "breaths": None,
        "per_side": True,
        "contraindications": ["achilles-tendinopathy"],
        "progressions": [],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "heel-raises",
        "name": "Heel raises with aligned feet",
        "summary": (
            "Strengthens the calves and the muscles of the foot and ankle in good alignment, "
            "with the weight moving through the big and second toes."
        ),
        "instructions": [
            "Stand with your feet hip-width apart and pointing straight ahead, fingertips "
            "resting on a counter or wall.",
            "Stack your pelvis over your heels and relax your kneecaps.",
            "Slowly rise onto the balls of the feet, keeping the weight between the big and "
            "second toes.",
            "Pause at the top, then lower the heels slowly to the floor.",
        ],
        "cues": [
            "Up for two counts, down for four",
            "Weight through the big-toe side, ankles don't roll out",
            "Rise straight up, not forward",
        ],
        "common_mistakes": [
            "Rolling onto the little-toe side of the foot at the top",
            "Dropping the heels quickly instead of lowering with control",
        ],
        "feel_it": "In the calves and the arches of the feet.",
        "regions": ["calves", "ankles", "feet"],
        "position": "standing",
        "equipment": ["counter"],
        "difficulty": 2,
        "sets": 2,
        "reps": 12,
        "hold_seconds": None,
        "breaths": None,
        "per_side": False,
        "contraindications": [],
        "progressions": [],
        "regressions": [],
        "media_url": "",
    },
    # ------------------------------------------------------------------ knees and thighs
    {
        "slug": "kneecap-release",
        "name": "Kneecap release (quad relax)",
        "summary": (
            "Teaches the front of the thigh to let go while standing, so the kneecaps can "
            "drop instead of being held up all day."
        ),
        "instructions": [
            "Stand with your feet hip-width apart and pointing straight ahead.",
            "Shift your hips back until your pelvis is over your heels.",
            "Keeping the knees straight but not locked, relax the fronts of your thighs so "
            "the kneecaps slide down toward your feet.",
            "Contract the thighs to lift the kneecaps, then relax again.",
            "Repeat, then practice standing with the kneecaps relaxed.",
        ],
        "cues": [
            "Soft quads, heavy kneecaps",
            "Knees straight without pushing them back",
            "If you can't feel it, look down at your kneecaps or touch them",
        ],
        "common_mistakes": [
            "Bending the knees to relax the thighs",
            "Locking the knees back (hyperextending)",
        ],
        "feel_it": "At the front of the thighs and around the kneecaps, as a letting go.",
        "regions": ["knees", "quads"],
        "position": "standing",
        "equipment": [],
        "difficulty": 1,
        "sets": 1,
        "reps": 10,
        "hold_seconds": None,
        "breaths": None,
        "per_side": False,
        "contraindications": [],
        "progressions": [],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "standing-quad-stretch",
        "name": "Standing quad stretch",
        "summary": (
            "Lengthens the front of the thigh and hip with the pelvis in neutral, so the "
            "stretch goes to the muscle and not the lower back."
        ),
        "instructions": [
            "Stand next to a chair or counter and hold it with your left hand.",
            "Bend your right knee and hold the right ankle or the back of the foot with your "
            "right hand (loop a strap around the foot if you can't reach).",
            "Bring your knees side by side with the right knee pointing straight down.",
            "Keep your pelvis neutral: don't arch the lower back or push the hips forward.",
            "Hold, then switch sides.",
        ],
        "cues": [
            "Knee points down, thighs parallel",
            "Ribs down, lower back long",
            "Only as far as the pelvis stays neutral",
        ],
        "common_mistakes": [
            "Arching the lower back to bring the foot higher",
            "Letting the bent knee drift forward or out to the side",
        ],
        "feel_it": "Along the front of the thigh, from the knee to the front of the hip.",
        "regions": ["quads", "hip-flexors", "knees"],
        "position": "standing",
        "equipment": ["chair", "strap"],
        "difficulty": 2,
        "sets": 1,
        "reps": None,
        "hold_seconds": 45,
        "breaths": None,
        "per_side": True,
        "contraindications": ["knee-bursitis", "knee-replacement"],
        "progressions": [],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "supine-hamstring-stretch-with-strap",
        "name": "Lying hamstring stretch with a strap",
        "summary": (
            "A supported hamstring stretch on the back, where the floor helps you feel a "
            "neutral pelvis."
        ),
        "instructions": [
            "Lie on your back with both legs straight (or the left knee bent, foot flat, if "
            "the lower back is uncomfortable).",
            "Loop a strap around the ball of the right foot and hold one end in each hand.",
            "Keeping the right knee straight, raise the leg only until you feel a stretch "
            "behind the thigh.",
            "Keep the back of the pelvis heavy and the natural curve of the lower back: no "
            "tucking under.",
            "Hold, breathing easily, then lower the leg and switch sides.",
        ],
        "cues": [
            "Straight knee matters more than a high leg",
            "Tailbone stays on the floor",
            "Relax the shoulders; the strap does the holding",
        ],
        "common_mistakes": [
            "Bending the knee to get the leg higher",
            "Tucking the pelvis and lifting the tailbone off the floor",
        ],
        "feel_it": "Behind the thigh of the raised leg, sometimes into the calf.",
        "regions": ["hamstrings", "calves"],
        "position": "lying",
        "equipment": ["strap", "yoga-mat"],
        "difficulty": 1,
        "sets": 1,
        "reps": None,
        "hold_seconds": 60,
        "breaths": None,
        "per_side": True,
        "contraindications": ["sciatica"],
        "progressions": ["hamstring-stretch"],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "hamstring-stretch",
        "name": "Hamstring stretch (standing hinge to a chair)",
        "summary": (
            "One of the studio's favorite hamstring stretches: a forward hinge at the hips "
            "with the pelvis untucked and the legs vertical. Stretching the posterior hip "
            "and calves first makes it more effective."
        ),
        "instructions": [
            "Stand facing a chair back or counter, feet hip-width apart and pointing straight "
            "ahead.",
            "Place your hands on the chair or counter and walk your feet back until your "
            "arms are straight.",
            "Hinge at the hips, bringing the torso toward parallel with the floor while the "
            "spine stays long.",
            "Shift your hips back until your legs are vertical (hips over heels).",
            "Untuck the pelvis: let the sitting bones lift and spread and the tailbone rise, "
            "without rounding the back.",
            "Hold, breathing easily, then bend the knees slightly and walk in to come up.",
        ],
        "cues": [
            "Hinge at the hips, not at the waist",
            "Legs vertical, hips over heels",
            "Untuck: sitting bones up and back",
            "Spine long; it's fine if the torso stays higher than parallel",
        ],
        "common_mistakes": [
            "Rounding the back and tucking the pelvis",
            "Hips drifting forward over the toes",
            "Locking the knees hard",
        ],
        "feel_it": "Behind the thighs, from the sitting bones toward the backs of the knees.",
        "regions": ["hamstrings", "calves", "pelvis"],
        "position": "standing",
        "equipment": ["chair", "counter"],
        "difficulty": 2,
        "sets": 1,
        "reps": None,
        "hold_seconds": 60,
        "breaths": None,
        "per_side": False,
        "contraindications": ["disc-herniation", "osteoporosis", "sciatica"],
        "progressions": [],
        "regressions": ["supine-hamstring-stretch-with-strap"],
        "media_url": "",
    },
    {
        "slug": "legs-up-the-wall-inner-thigh-stretch",
        "name": "Legs-up-the-wall inner-thigh (adductor) stretch",
        "summary": (
            "A relaxing inner-thigh stretch that does more than you think: it restores the "
            "connection between the soles of the feet, the inner thighs and the pelvic floor "
            "that shoes and chronic sitting interrupt. It can reveal surprisingly tight "
            "muscles, and grows more relaxing the more often you do it."
        ),
        "instructions": [
            "Sit sideways next to a wall, then lie back and swing your legs up the wall so "
            "you are lying on your back with your legs straight up the wall.",
            "Scoot away from the wall until your legs can be straight while the back of the "
            "pelvis rests on the floor; tight hamstrings mean farther away.",
            "Set your pelvis in neutral, neither arched nor tucked, and triple check it.",
            "With the knees straight and the soles of the feet facing the ceiling, let the "
            "legs slowly slide apart along the wall.",
            "Open only as wide as you can while still breathing easily and without an urge "
            "to bend the knees, then rest there.",
            "To come out, bring the legs together with your hands, bend the knees and roll "
            "onto your side before sitting up.",
        ],
        "cues": [
            "Keep your pelvis neutral, neither arched nor tucked",
            "Triple check the pelvis before, during and after opening the legs",
            "Open the legs only as wide as you can while still breathing easily and without "
            "an urge to bend the knees",
            "In the beginning this may not be far, especially if the inner thighs and insides "
            "of the knees are tight",
            "Let gravity do the work, and notice the line from the soles of the feet through "
            "the inner thighs to the pelvic floor",
        ],
        "common_mistakes": [
            "Tucking the pelvis (tailbone curling up off the floor) to get closer to the wall",
            "Opening the legs too wide, so the breath gets held or the knees bend",
            "Pushing the legs apart with the hands",
        ],
        "feel_it": (
            "Along the inner thighs and the insides of the knees, with a softening of the "
            "pelvic floor."
        ),
        "regions": ["inner-thighs", "pelvic-floor", "hamstrings", "feet", "pelvis"],
        "position": "lying",
        "equipment": ["wall", "yoga-mat"],
        "difficulty": 1,
        "sets": 1,
        "reps": None,
        "hold_seconds": 120,
        "breaths": None,
        "per_side": False,
        "contraindications": ["glaucoma", "pregnancy", "recent-surgery"],
        "progressions": [],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "windshield-wiper-legs",
        "name": "Windshield-wiper legs",
        "summary": (
            "Gentle rotation of the thigh bones in the hip sockets, for hips and knees that "
            "have been held turned in or out for years."
        ),
        "instructions": [
            "Lie on your back with your legs straight and hip-width apart (or sit tall with "
            "legs straight in front of you).",
            "Flex the feet so the toes point up toward the ceiling.",
            "Rotate both whole legs inward from the hips so the toes point toward each other.",
            "Rotate them outward so the toes fall away from each other.",
            "Keep going back and forth slowly, like windshield wipers.",
        ],
        "cues": [
            "Turn from the hips, not just the ankles",
            "Kneecaps turn with the feet",
            "Pelvis stays still and heavy",
        ],
        "common_mistakes": [
            "Moving only the feet while the thighs stay still",
            "Rocking the pelvis side to side",
        ],
        "feel_it": "Deep in the hip sockets, and around the outer and inner hips.",
        "regions": ["hips", "knees", "inner-thighs"],
        "position": "lying",
        "equipment": ["yoga-mat"],
        "difficulty": 1,
        "sets": 1,
        "reps": 20,
        "hold_seconds": None,
        "breaths": None,
        "per_side": False,
        "contraindications": ["hip-replacement"],
        "progressions": [],
        "regressions": [],
        "media_url": "",
    },
    # ------------------------------------------------------------------ hips and pelvis
    {
        "slug": "seated-hip-stretch",
        "name": "Seated hip stretch (figure four)",
        "summary": (
            "A posterior hip stretch on a chair: cross the ankle over the knee and hinge "
            "forward with the pelvis neutral and untucked."
        ),
        "instructions": [
            "Sit on the front edge of a firm chair with your feet flat and hip-width apart.",
            "Cross your right ankle over your left knee, letting the right knee drop to the "
            "side. Flex the right foot.",
            "Roll forward onto your sitting bones so the pelvis is neutral, not tucked "
            "under, and the spine is long.",
            "If you don't feel a stretch yet, hinge forward from the hips, keeping the spine long.",
            "Hold, breathing easily, then switch sides.",
        ],
        "cues": [
            "Sit on your sitting bones, not your tailbone",
            "Untuck the pelvis before you lean",
            "Hinge from the hips with a long spine",
            "Flexed foot to protect the knee",
        ],
        "common_mistakes": [
            "Slumping and rounding the back to go lower",
            "Pushing down on the crossed knee",
        ],
        "feel_it": "In the back and outside of the hip and the buttock of the crossed leg.",
        "regions": ["hips", "pelvis"],
        "position": "seated",
        "equipment": ["chair"],
        "difficulty": 1,
        "sets": 1,
        "reps": None,
        "hold_seconds": 60,
        "breaths": None,
        "per_side": True,
        "contraindications": ["hip-replacement"],
        "progressions": [],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "side-lying-clam",
        "name": "Side-lying clam",
        "summary": (
            "Wakes up the deep hip rotators and the side of the hip, with the pelvis still."
        ),
        "instructions": [
            "Lie on your left side with your head on your arm or a pillow, knees bent and "
            "stacked, heels in line with your sitting bones.",
            "Stack your hips vertically and keep a small space between your waist and the mat.",
            "Keeping the heels together, lift the top knee only as far as the pelvis stays still.",
            "Lower the knee slowly.",
            "Complete the set, then switch sides.",
        ],
        "cues": [
            "Top hip stays stacked over the bottom hip",
            "Small and slow beats big and fast",
            "Feel the back of the hip, not the front of the thigh",
        ],
        "common_mistakes": [
            "Rolling the pelvis backward as the knee opens",
            "Lifting too high and using the lower back",
        ],
        "feel_it": "In the back and side of the top hip.",
        "regions": ["hips", "pelvis"],
        "position": "lying",
        "equipment": ["yoga-mat", "pillow"],
        "difficulty": 1,
        "sets": 2,
        "reps": 10,
        "hold_seconds": None,
        "breaths": None,
        "per_side": True,
        "contraindications": [],
        "progressions": ["pelvic-list"],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "pelvic-list",
        "name": "Pelvic list",
        "summary": (
            "Strengthens the lateral hip muscles that keep the pelvis level when you walk, "
            "by hiking and lowering one side of the pelvis while standing on the other leg."
        ),
        "instructions": [
            "Stand with your left foot on a yoga block or thick book, right foot hanging off "
            "the side, a hand on a wall or counter for balance.",
            "Keep both legs straight and your pelvis over your standing heel.",
            "Using the muscles on the outside of the left hip, lift the right side of the "
            "pelvis so the right foot rises.",
            "Lower the right side slowly until the foot hangs below the block again.",
            "Complete the set, then switch sides.",
        ],
        "cues": [
            "Both knees straight throughout",
            "The standing hip does the work, not the waist",
            "Keep the torso still and upright",
        ],
        "common_mistakes": [
            "Bending the hanging knee instead of lifting the pelvis",
            "Side-bending the torso to hike the hip",
        ],
        "feel_it": "On the outside of the standing hip.",
        "regions": ["hips", "pelvis"],
        "position": "standing",
        "equipment": ["yoga-block", "wall"],
        "difficulty": 2,
        "sets": 2,
        "reps": 10,
        "hold_seconds": None,
        "breaths": None,
        "per_side": True,
        "contraindications": ["vertigo"],
        "progressions": [],
        "regressions": ["side-lying-clam"],
        "media_url": "",
    },
    {
        "slug": "psoas-release",
        "name": "Psoas release (supported rest)",
        "summary": (
            "A restful position, no bridging or lifting, that lets the psoas and the front "
            "of the ribcage let go."
        ),
        "instructions": [
            "Lie on your back with your legs straight, or bent with feet flat if the lower "
            "back needs it.",
            "Support your head with a folded blanket or pillows, enough that your chin is not "
            "pointing up.",
            "Let the back of the ribcage soften toward the floor without forcing it down or "
            "tucking the pelvis.",
            "Rest here, breathing easily, and let the front of the hips and the lower ribs relax.",
        ],
        "cues": [
            "Nothing to do: just let the ribs get heavy",
            "Don't tuck the pelvis to flatten the back",
            "Add height under the head if the ribs won't settle",
        ],
        "common_mistakes": [
            "Pushing the ribs down with the abdominals instead of relaxing",
            "Tucking the pelvis to flatten the lower back",
        ],
        "feel_it": "A softening at the front of the hips and the lower ribs.",
        "regions": ["hip-flexors", "spine", "core"],
        "position": "lying",
        "equipment": ["yoga-mat", "folded-blanket", "pillow"],
        "difficulty": 1,
        "sets": 1,
        "reps": None,
        "hold_seconds": 300,
        "breaths": None,
        "per_side": False,
        "contraindications": ["pregnancy"],
        "progressions": [],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "chair-squat",
        "name": "Chair squat (hip-hinge sit-to-stand)",
        "summary": (
            "The first step of a pelvic-floor-friendly squat progression: sitting back to a "
            "chair with vertical shins and an untucked pelvis."
        ),
        "instructions": [
            "Stand in front of a sturdy chair, feet hip-width apart and pointing straight ahead.",
            "Hinge at the hips and send them back toward the chair, keeping the shins as "
            "vertical as you can.",
            "Lean the torso forward with a long spine, arms reaching forward to counterbalance.",
            "Lightly touch the chair with your sitting bones without collapsing onto it.",
            "Press through the whole foot to stand up, exhaling as you rise.",
        ],
        "cues": [
            "Hips back, shins vertical",
            "Untucked pelvis: sitting bones reach back",
            "Exhale to stand",
        ],
        "common_mistakes": [
            "Knees shooting forward over the toes",
            "Tucking the pelvis under at the bottom",
            "Holding the breath and bearing down",
        ],
        "feel_it": "In the backs of the hips and thighs.",
        "regions": ["hips", "hamstrings", "pelvic-floor", "knees"],
        "position": "standing",
        "equipment": ["chair"],
        "difficulty": 2,
        "sets": 2,
        "reps": 8,
        "hold_seconds": None,
        "breaths": None,
        "per_side": False,
        "contraindications": [],
        "progressions": ["supported-deep-squat"],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "supported-deep-squat",
        "name": "Supported deep squat",
        "summary": (
            "The next step after the chair squat: a deep squat held with support, untucked "
            "pelvis and heels down (or on a rolled towel), to mobilize the hips, ankles and "
            "pelvic floor."
        ),
        "instructions": [
            "Stand facing a doorframe, counter or sturdy post and hold it with both hands.",
            "Place your feet hip-width apart, pointing straight ahead; put a rolled towel "
            "under the heels if they lift.",
            "Holding on, send the hips back and down into as deep a squat as you can with the "
            "pelvis untucked.",
            "Use your arms to take as much weight as you need, and breathe into the back of "
            "the pelvis.",
            "Hold, then use your arms to help you stand back up.",
        ],
        "cues": [
            "Go only as deep as the pelvis stays untucked",
            "Heels heavy, or on the towel",
            "Let the arms hold you so the pelvic floor can relax",
        ],
        "common_mistakes": [
            "Tucking the pelvis at the bottom of the squat",
            "Letting the knees collapse inward",
        ],
        "feel_it": "In the hips, ankles, lower back and pelvic floor.",
        "regions": ["hips", "pelvic-floor", "ankles", "knees", "pelvis"],
        "position": "standing",
        "equipment": ["counter", "rolled-towel"],
        "difficulty": 3,
        "sets": 1,
        "reps": None,
        "hold_seconds": 30,
        "breaths": None,
        "per_side": False,
        "contraindications": [
            "knee-bursitis",
            "knee-replacement",
            "hip-replacement",
            "recent-surgery",
        ],
        "progressions": [],
        "regressions": ["chair-squat"],
        "media_url": "",
    },
    # ------------------------------------------------------------------ spine and core
    {
        "slug": "rib-cage-breathing",
        "name": "Rib cage breathing",
        "summary": (
            "Breathing into the sides and back of the ribcage to coordinate the diaphragm, "
            "deep abdominals and pelvic floor, without belly pushing or chest lifting."
        ),
        "instructions": [
            "Sit tall on a chair with your pelvis neutral, or lie on your back with the knees "
            "bent.",
            "Place your hands on the sides of your lower ribs.",
            "Inhale through the nose and widen the ribs into your hands, sideways and back.",
            "Exhale slowly and feel the ribs narrow and the pelvic floor gently lift.",
            "Keep the shoulders and neck relaxed throughout.",
        ],
        "cues": [
            "Breathe into your hands",
            "Ribs widen, shoulders stay down",
            "Long, slow exhale",
        ],
        "common_mistakes": [
            "Lifting the chest and shoulders on the inhale",
            "Pushing the belly out and bearing down",
        ],
        "feel_it": "Around the lower ribs, the back of the ribcage and the pelvic floor.",
        "regions": ["core", "pelvic-floor", "upper-back"],
        "position": "seated",
        "equipment": ["chair"],
        "difficulty": 1,
        "sets": 1,
        "reps": None,
        "hold_seconds": None,
        "breaths": 10,
        "per_side": False,
        "contraindications": [],
        "progressions": [],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "cat-cow-neutral-spine",
        "name": "Cat-cow to neutral spine",
        "summary": (
            "Small, controlled spinal movement on hands and knees that always returns to a "
            "neutral spine, to teach the client where neutral is."
        ),
        "instructions": [
            "Come onto hands and knees on a mat, hands under shoulders and knees under hips, "
            "with padding under the knees.",
            "Find neutral: a long spine with the back of the head in line with the tailbone.",
            "Inhale and let the chest move forward and the tailbone lift slightly (cow).",
            "Exhale and gently round the back, tucking the tailbone and the chin (cat).",
            "Return to neutral after every few rounds and pause there.",
        ],
        "cues": [
            "Move one vertebra at a time",
            "Small range, smooth breath",
            "Come home to neutral",
        ],
        "common_mistakes": [
            "Collapsing into the lower back in the cow phase",
            "Letting the shoulders sink toward the ears",
        ],
        "feel_it": "Along the whole spine, between the shoulder blades and in the lower back.",
        "regions": ["spine", "core", "pelvis"],
        "position": "kneeling",
        "equipment": ["yoga-mat", "folded-blanket"],
        "difficulty": 1,
        "sets": 1,
        "reps": 8,
        "hold_seconds": None,
        "breaths": None,
        "per_side": False,
        "contraindications": [
            "diastasis-recti",
            "osteoporosis",
            "disc-herniation",
            "knee-bursitis",
            "knee-replacement",
        ],
        "progressions": [],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "supported-childs-pose",
        "name": "Supported child's pose",
        "summary": (
            "A resting position with the torso supported on a bolster, to lengthen the back "
            "and let the breath widen the back ribs."
        ),
        "instructions": [
            "Kneel on a mat with your knees wide and big toes touching, a bolster or stack of "
            "pillows lengthwise in front of you.",
            "Sit back toward your heels (place a folded blanket between heels and buttocks if "
            "needed).",
            "Lay your torso on the bolster, turning your head to one side, arms resting beside it.",
            "Breathe into the back of the ribcage; halfway through, turn the head the other way.",
        ],
        "cues": [
            "Let the bolster hold your whole weight",
            "Breathe into your back",
            "Add height under the chest if the knees or hips complain",
        ],
        "common_mistakes": [
            "Forcing the hips down to the heels",
            "Holding the head up instead of resting it",
        ],
        "feel_it": "Along the back, the sides of the ribs and the outer hips.",
        "regions": ["spine", "hips", "upper-back"],
        "position": "kneeling",
        "equipment": ["yoga-mat", "bolster", "folded-blanket"],
        "difficulty": 1,
        "sets": 1,
        "reps": None,
        "hold_seconds": 120,
        "breaths": None,
        "per_side": False,
        "contraindications": ["knee-bursitis", "knee-replacement", "hip-replacement"],
        "progressions": [],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "supine-twist",
        "name": "Supine twist",
        "summary": (
            "A gentle rotation of the spine lying down, with the knees falling to one side and "
            "the shoulders staying heavy."
        ),
        "instructions": [
            "Lie on your back with your knees bent, feet flat and together, arms out to the "
            "sides at shoulder height.",
            "Slowly let both knees fall to the right, only as far as the left shoulder stays "
            "down; place a pillow under the knees if needed.",
            "Breathe into the left side of the ribcage.",
            "Bring the knees back to center, then lower them to the left.",
        ],
        "cues": [
            "Both shoulders stay heavy",
            "Move slowly; the knees don't need to reach the floor",
            "Roll back through center with the abdominals relaxed",
        ],
        "common_mistakes": [
            "Forcing the knees to the floor so the opposite shoulder lifts",
            "Dropping the knees quickly",
        ],
        "feel_it": "Along the sides of the trunk, the lower back and the outer hip.",
        "regions": ["spine", "hips", "core"],
        "position": "lying",
        "equipment": ["yoga-mat", "pillow"],
        "difficulty": 1,
        "sets": 1,
        "reps": None,
        "hold_seconds": 45,
        "breaths": None,
        "per_side": True,
        "contraindications": [
            "osteoporosis",
            "disc-herniation",
            "hip-replacement",
            "pregnancy",
            "recent-surgery",
        ],
        "progressions": [],
        "regressions": [],
        "media_url": "",
    },
    # ------------------------------------------------------------------ upper back, shoulders, neck
    {
        "slug": "thoracic-stretch-on-floor",
        "name": "Thoracic stretch on the floor",
        "summary": (
            "Opens the upper back and the front of the shoulders by lowering the arms "
            "overhead without letting the lower ribs lift."
        ),
        "instructions": [
            "Lie on your back with your knees bent, feet flat, and your head supported if "
            "the chin points up.",
            "Let the lower ribs rest down toward the floor without tucking the pelvis.",
            "Raise your arms toward the ceiling, then slowly lower them overhead toward the floor.",
            "Stop where the lower ribs begin to lift, and rest the arms on a pillow there.",
            "Hold, breathing easily, then bring the arms back down by your sides.",
        ],
        "cues": [
            "Ribs stay down, arms go only as far as the ribs allow",
            "Elbows straight but soft",
            "Let the arms get heavy",
        ],
        "common_mistakes": [
            "Arching the back and thrusting the ribs up to get the arms to the floor",
            "Bending the elbows to cheat the range",
        ],
        "feel_it": "Across the upper back, the armpits and the front of the shoulders.",
        "regions": ["upper-back", "shoulders", "spine"],
        "position": "lying",
        "equipment": ["yoga-mat", "pillow"],
        "difficulty": 1,
        "sets": 1,
        "reps": None,
        "hold_seconds": 60,
        "breaths": None,
        "per_side": False,
        "contraindications": ["shoulder-impingement"],
        "progressions": ["wall-angels"],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "wall-angels",
        "name": "Wall angels",
        "summary": (
            "Slides the arms up a wall with the ribs down, working upper-back mobility and "
            "shoulder-blade control in standing."
        ),
        "instructions": [
            "Stand with your back to a wall, feet a small step away, pelvis neutral.",
            "Let the back of the ribcage and, if it can without straining, the back of the "
            "head touch the wall.",
            "Bend your elbows to 90 degrees and place the backs of the arms against the wall "
            "in a goalpost shape.",
            "Slowly slide the arms up the wall only as far as the ribs and arms stay in "
            "contact, then slide them back down.",
        ],
        "cues": [
            "Ribs stay on the wall",
            "Slide slowly; the range will come",
            "Shoulders away from the ears",
        ],
        "common_mistakes": [
            "Arching the back away from the wall as the arms rise",
            "Pushing the chin up to bring the head to the wall",
        ],
        "feel_it": "Between the shoulder blades and across the front of the chest.",
        "regions": ["upper-back", "shoulders", "spine"],
        "position": "standing",
        "equipment": ["wall"],
        "difficulty": 2,
        "sets": 2,
        "reps": 8,
        "hold_seconds": None,
        "breaths": None,
        "per_side": False,
        "contraindications": ["shoulder-impingement"],
        "progressions": [],
        "regressions": ["thoracic-stretch-on-floor"],
        "media_url": "",
    },
    {
        "slug": "rhomboid-pull",
        "name": "Rhomboid pull",
        "summary": (
            "Draws the shoulder blades back toward the spine without thrusting the ribs, to "
            "strengthen the muscles between the shoulder blades."
        ),
        "instructions": [
            "Stand or sit tall with your arms by your sides, palms facing forward.",
            "Keep the lower ribs down and the pelvis neutral.",
            "Draw the shoulder blades back toward the spine and slightly down, without "
            "moving the ribcage.",
            "Hold for three breaths, then release the shoulder blades fully apart.",
        ],
        "cues": [
            "Move the shoulder blades, not the ribs",
            "Shoulders wide, not squeezed up",
            "Release all the way between pulls",
        ],
        "common_mistakes": [
            "Arching the back and pushing the chest forward",
            "Shrugging the shoulders toward the ears",
        ],
        "feel_it": "Between the shoulder blades.",
        "regions": ["upper-back", "shoulders"],
        "position": "standing",
        "equipment": [],
        "difficulty": 1,
        "sets": 2,
        "reps": 8,
        "hold_seconds": None,
        "breaths": None,
        "per_side": False,
        "contraindications": [],
        "progressions": [],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "arm-circles",
        "name": "Arm circles",
        "summary": (
            "Small circles with straight arms to mobilize the shoulders and wake up the "
            "upper back, while the ribs stay still."
        ),
        "instructions": [
            "Stand with your feet hip-width apart and your pelvis over your heels.",
            "Raise your arms out to the sides at shoulder height, elbows straight, palms "
            "facing down.",
            "Make small circles forward, keeping the ribs down and the neck relaxed.",
            "Reverse the direction, then turn the palms up and repeat both directions.",
        ],
        "cues": [
            "Circles from the shoulder, not the wrist",
            "Elbows straight, thumbs leading",
            "Lower the arms and rest whenever the shoulders start to hike",
        ],
        "common_mistakes": [
            "Lifting the shoulders toward the ears",
            "Letting the ribs thrust forward",
        ],
        "feel_it": "Around the shoulders and between the shoulder blades.",
        "regions": ["shoulders", "upper-back"],
        "position": "standing",
        "equipment": [],
        "difficulty": 1,
        "sets": 1,
        "reps": 20,
        "hold_seconds": None,
        "breaths": None,
        "per_side": False,
        "contraindications": ["shoulder-impingement"],
        "progressions": [],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "chin-tuck",
        "name": "Chin tuck (lying)",
        "summary": (
            "A small nod lying down that lengthens the back of the neck and wakes up the deep "
            "neck flexors, with the floor for feedback."
        ),
        "instructions": [
            "Lie on your back with your knees bent and a folded towel under your head if your "
            "chin points up.",
            "Keeping the back of the head on the floor, gently nod the chin toward the throat.",
            "Feel the back of the neck lengthen along the floor.",
            "Hold for a breath, then release the nod.",
        ],
        "cues": [
            "A tiny nod: yes, not a big crunch",
            "Back of the head stays on the floor",
            "Keep the jaw and throat soft",
        ],
        "common_mistakes": [
            "Lifting the head off the floor",
            "Clenching the jaw or pressing the head down hard",
        ],
        "feel_it": "A gentle lengthening along the back of the neck.",
        "regions": ["neck"],
        "position": "lying",
        "equipment": ["yoga-mat", "folded-blanket"],
        "difficulty": 1,
        "sets": 1,
        "reps": 10,
        "hold_seconds": None,
        "breaths": None,
        "per_side": False,
        "contraindications": ["neck-injury"],
        "progressions": ["head-ramping"],
        "regressions": [],
        "media_url": "",
    },
    {
        "slug": "head-ramping",
        "name": "Head ramping",
        "summary": (
            "Slides the head back over the shoulders, eyes level, to undo forward head "
            "posture from screens and driving."
        ),
        "instructions": [
            "Stand or sit tall with your pelvis neutral and your lower ribs down.",
            "Keeping your eyes level with the horizon, slide your head straight back as if "
            "on a ramp, so the ears move toward being over the shoulders.",
            "Stop when you feel a lengthening at the back of the neck, without tipping the "
            "chin down.",
            "Hold for a breath, then relax the head forward slightly and repeat.",
        ],
        "cues": [
            "Eyes stay level; slide, don't nod",
            "Lead with the back of the head",
            "Ribs stay down as the head moves back",
        ],
        "common_mistakes": [
            "Tipping the chin down toward the chest",
            "Leaning the whole torso back",
        ],
        "feel_it": "At the back of the neck and the base of the skull.",
        "regions": ["neck", "upper-back"],
        "position": "standing",
        "equipment": [],
        "difficulty": 2,
        "sets": 1,
        "reps": 10,
        "hold_seconds": None,
        "breaths": None,
        "per_side": False,
        "contraindications": ["neck-injury"],
        "progressions": [],
        "regressions": ["chin-tuck"],
        "media_url": "",
    },
]

_FIELDS = {
    "slug",
    "name",
    "summary",
    "instructions",
    "cues",
    "common_mistakes",
    "feel_it",
    "regions",
    "position",
    "equipment",
    "difficulty",
    "sets",
    "reps",
    "hold_seconds",
    "breaths",
    "per_side",
    "contraindications",
    "progressions",
    "regressions",
    "media_url",
}


def check() -> None:
    """Assert that the catalog is internally consistent."""
    assert len(set(REGIONS)) == len(REGIONS), "duplicate region"
    condition_slugs = [c["slug"] for c in CONDITIONS]
    assert len(set(condition_slugs)) == len(condition_slugs), "duplicate condition"
    for condition in CONDITIONS:
        assert set(condition) == {"slug", "name", "region"}, condition
        assert condition["region"] in REGIONS, condition
    slugs = [e["slug"] for e in EXERCISES]
    assert len(set(slugs)) == len(slugs), "duplicate exercise slug"
    by_slug = {e["slug"]: e for e in EXERCISES}
    for ex in EXERCISES:
        slug = ex["slug"]
        assert set(ex) == _FIELDS, (slug, set(ex) ^ _FIELDS)
        assert 3 <= len(ex["instructions"]) <= 6, slug
        assert 2 <= len(ex["cues"]) <= 5, slug
        assert 1 <= len(ex["common_mistakes"]) <= 3, slug
        assert ex["regions"] and set(ex["regions"]) <= set(REGIONS), slug
        assert ex["position"] in POSITIONS, slug
        assert set(ex["equipment"]) <= set(EQUIPMENT), slug
        assert ex["difficulty"] in (1, 2, 3), slug
        assert ex["sets"] >= 1, slug
        assert any(ex[k] for k in ("reps", "hold_seconds", "breaths")), slug
        assert set(ex["contraindications"]) <= set(condition_slugs), slug
        assert ex["media_url"] == "", slug
        for kind, inverse in (("progressions", "regressions"), ("regressions", "progressions")):
            for other in ex[kind]:
                assert other in by_slug and other != slug, (slug, kind, other)
                assert slug in by_slug[other][inverse], (slug, kind, other, "not mirrored")
    lutw = by_slug["legs-up-the-wall-inner-thigh-stretch"]["cues"]
    assert "Keep your pelvis neutral, neither arched nor tucked" in lutw
    assert (
        "Open the legs only as wide as you can while still breathing easily and without an "
        "urge to bend the knees"
    ) in lutw
    assert len(EXERCISES) >= 24


if __name__ == "__main__":
    check()
    print(f"OK: {len(EXERCISES)} exercises, {len(CONDITIONS)} conditions, {len(REGIONS)} regions")
